using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace OneThing.Api.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a free loopback port, speaking as much of RFC 5321 (and AUTH PLAIN / LOGIN of RFC 4954) as
/// MailKit needs: the test mail server the SMTP channel delivers to. Received messages are parsed with MimeKit.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <param name="userName">When set, the server offers AUTH and refuses mail from a session that did not sign in with these.</param>
    public SmtpTestServer(string? userName = null, string? password = null)
    {
        UserName = userName;
        Password = password;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string? UserName { get; }

    public string? Password { get; }

    /// <summary>Recipients answered with a permanent 550, quoting the address as real servers do.</summary>
    public ConcurrentDictionary<string, bool> RejectedRecipients { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var session = new Session();
        try
        {
            await WriteAsync(stream, "220 localhost OneThing test SMTP");
            while (await ReadLineAsync(stream) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
                switch (verb)
                {
                    case "EHLO":
                        await WriteAsync(stream, UserName is null ? "250-localhost\r\n250 8BITMIME" : "250-localhost\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN");
                        break;
                    case "HELO":
                    case "NOOP":
                        await WriteAsync(stream, "250 OK");
                        break;
                    case "AUTH":
                        session.SignedIn = await AuthenticateAsync(stream, argument);
                        await WriteAsync(stream, session.SignedIn ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
                        break;
                    case "MAIL":
                        if (UserName is not null && !session.SignedIn)
                        {
                            await WriteAsync(stream, "530 5.7.0 Authentication required");
                            break;
                        }

                        session.From = Address(argument);
                        session.To.Clear();
                        await WriteAsync(stream, "250 2.1.0 OK");
                        break;
                    case "RCPT":
                        var recipient = Address(argument);
                        if (RejectedRecipients.ContainsKey(recipient))
                        {
                            await WriteAsync(stream, $"550 5.1.1 <{recipient}>: Recipient address rejected: mailbox unavailable");
                            break;
                        }

                        session.To.Add(recipient);
                        await WriteAsync(stream, "250 2.1.5 OK");
                        break;
                    case "DATA":
                        await WriteAsync(stream, "354 End data with <CR><LF>.<CR><LF>");
                        var message = await ReadDataAsync(stream);
                        Received.Enqueue(new ReceivedMail(session.From, [.. session.To], message, session.SignedIn ? UserName : null));
                        await WriteAsync(stream, "250 2.0.0 OK queued");
                        break;
                    case "RSET":
                        session.From = "";
                        session.To.Clear();
                        await WriteAsync(stream, "250 OK");
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 2.0.0 Bye");
                        return;
                    default:
                        await WriteAsync(stream, "502 5.5.2 Command not recognised");
                        break;
                }
            }
        }
        catch (IOException)
        {
            // The client hung up; a real server does not care either.
        }
    }

    private async Task<bool> AuthenticateAsync(NetworkStream stream, string argument)
    {
        var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var mechanism = parts.Length > 0 ? parts[0].ToUpperInvariant() : "";
        string user, password;
        if (mechanism == "PLAIN")
        {
            var initial = parts.Length > 1 ? parts[1] : await PromptAsync(stream, "");
            var fields = Decode(initial).Split('\0');
            (user, password) = fields.Length == 3 ? (fields[1], fields[2]) : ("", "");
        }
        else if (mechanism == "LOGIN")
        {
            user = Decode(parts.Length > 1 ? parts[1] : await PromptAsync(stream, "VXNlcm5hbWU6"));
            password = Decode(await PromptAsync(stream, "UGFzc3dvcmQ6"));
        }
        else
        {
            return false;
        }

        return user == UserName && password == Password;
    }

    private static async Task<string> PromptAsync(NetworkStream stream, string challenge)
    {
        await WriteAsync(stream, $"334 {challenge}");
        return await ReadLineAsync(stream) ?? "";
    }

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private static string Address(string argument)
    {
        var start = argument.IndexOf('<');
        var end = argument.IndexOf('>');
        return start >= 0 && end > start ? argument[(start + 1)..end] : argument.Trim();
    }

    private static async Task<MimeMessage> ReadDataAsync(NetworkStream stream)
    {
        var data = new MemoryStream();
        while (await ReadLineBytesAsync(stream) is { } line)
        {
            if (line is [(byte)'.'])
            {
                break;
            }

            // Dot-stuffing (RFC 5321 4.5.2): a leading dot was doubled by the client.
            var content = line is [(byte)'.', ..] ? line[1..] : line;
            data.Write(content);
            data.Write("\r\n"u8);
        }

        data.Position = 0;
        return await MimeMessage.LoadAsync(data);
    }

    private static async Task<string?> ReadLineAsync(NetworkStream stream) =>
        await ReadLineBytesAsync(stream) is { } line ? Encoding.UTF8.GetString(line) : null;

    private static async Task<byte[]?> ReadLineBytesAsync(NetworkStream stream)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            if (one[0] == '\n')
            {
                return line is [.., (byte)'\r'] ? line.ToArray()[..^1] : line.ToArray();
            }

            line.Add(one[0]);
        }
    }

    private static async Task WriteAsync(NetworkStream stream, string reply) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private sealed class Session
    {
        public bool SignedIn { get; set; }
        public string From { get; set; } = "";
        public List<string> To { get; } = [];
    }
}

/// <param name="SignedInAs">The user the session authenticated as; null when it did not.</param>
public sealed record ReceivedMail(string From, IReadOnlyList<string> To, MimeMessage Message, string? SignedInAs);
