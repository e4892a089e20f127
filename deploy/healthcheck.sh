#!/bin/bash
# Container health check for the OneThing hosts: exits 0 when GET <path> on the local port answers 200.
#
# The aspnet:10.0 image has neither curl nor wget, and installing one only for this would grow every image and
# its attack surface. Bash is in the image and can open a TCP connection through /dev/tcp, which is enough
# for one plain HTTP/1.1 request. (A chiseled image has no shell at all: there, use the orchestrator's own HTTP
# probe, as the Kubernetes manifests in deploy/kubernetes do.)
#
# usage: healthcheck.sh [path] [port]     defaults: /health/ready 8080

path="${1:-/health/ready}"
port="${2:-8080}"

exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "${path}" >&3
IFS= read -r -t 5 status_line <&3 || exit 1
exec 3<&-

[[ "${status_line}" =~ ^HTTP/1\.[01]\ 200[\ $'\r'] ]]
