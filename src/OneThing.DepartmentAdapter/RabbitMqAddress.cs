namespace OneThing.DepartmentAdapter;

/// <summary>
/// The parts of <c>amqp://user:password@host:port/vhost</c>, decoded the way the AMQP URI spec says
/// (percent-escapes in user, password and vhost; an empty path or <c>%2f</c> is the vhost <c>/</c>).
/// </summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password, bool UseTls)
{
    public const string ConnectionStringName = "RabbitMq";
    private const string Example = "amqp://user:password@host:5672/vhost";

    public static RabbitMqAddress Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new AdapterConfigurationException(
                $"ConnectionStrings__{ConnectionStringName} is not set. The department adapter talks to the engine only over RabbitMQ: " +
                $"set it to an AMQP URI such as {Example}.");
        }

        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || uri.Host.Length == 0)
        {
            throw new AdapterConfigurationException(
                $"ConnectionStrings__{ConnectionStringName} is not an AMQP URI; expected the form {Example} (amqps:// for TLS).");
        }

        var useTls = uri.Scheme == "amqps";
        var port = uri.Port > 0 ? (ushort)uri.Port : (ushort)(useTls ? 5671 : 5672);
        var userInfo = uri.GetComponents(UriComponents.UserInfo, UriFormat.UriEscaped).Split(':', 2);
        var username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest";
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest";
        var path = uri.GetComponents(UriComponents.Path, UriFormat.UriEscaped);
        if (path.Contains('/'))
        {
            throw new AdapterConfigurationException(
                $"ConnectionStrings__{ConnectionStringName} has a path with several segments; a vhost containing '/' is written %2f.");
        }

        var virtualHost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        return new RabbitMqAddress(uri.Host, port, virtualHost, username, password, useTls);
    }

    /// <summary>For logs: everything but the password.</summary>
    public override string ToString() => $"{(UseTls ? "amqps" : "amqp")}://{Username}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}
