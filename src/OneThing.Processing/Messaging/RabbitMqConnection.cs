using MassTransit;
using Microsoft.Extensions.Configuration;

namespace OneThing.Processing.Messaging;

/// <summary>
/// <c>ConnectionStrings:RabbitMq</c>, an AMQP URI (<c>amqp://user:password@host:port/vhost</c>): when set, the bus is
/// RabbitMQ; when not, the in-memory bus of the single-process default.
/// </summary>
public sealed record RabbitMqConnection(string Host, ushort Port, string VirtualHost, string UserName, string Password, bool UseTls)
{
    public const string Name = "RabbitMq";

    public static RabbitMqConnection? FromConfiguration(IConfiguration configuration) =>
        configuration.GetConnectionString(Name) is { Length: > 0 } value ? Parse(value) : null;

    public static RabbitMqConnection Parse(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || uri.Host.Length == 0)
        {
            throw new InvalidOperationException(
                "ConnectionStrings__RabbitMq must be an AMQP URI such as amqp://user:password@host:5672/vhost.");
        }

        var tls = uri.Scheme == "amqps";
        var credentials = uri.UserInfo.Split(':', 2);
        var userName = credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest";
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqConnection(uri.Host, (ushort)(uri.Port > 0 ? uri.Port : tls ? 5671 : 5672),
            virtualHost.Length == 0 ? "/" : virtualHost, userName, password, tls);
    }

    /// <summary>The broker's address without the password, for logs and health reports.</summary>
    public override string ToString() => $"{(UseTls ? "amqps" : "amqp")}://{UserName}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";

    public void Configure(IRabbitMqBusFactoryConfigurator transport) =>
        transport.Host(Host, Port, VirtualHost, host =>
        {
            host.Username(UserName);
            host.Password(Password);
            host.Heartbeat(TimeSpan.FromSeconds(10));
            if (UseTls)
            {
                host.UseSsl(ssl => ssl.ServerName = Host);
            }
        });
}
