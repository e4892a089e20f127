using Microsoft.AspNetCore.Mvc;
using OneThing.Api.Attachments;

namespace OneThing.Api.Extensions;

/// <summary>
/// Refuses a NUL character in the path, the query string or a posted form (the web sign-in) before any endpoint
/// uses it in a database query (Kestrel refuses one in the path itself, other servers may not); JSON bodies are checked when they are bound (<see cref="NulRefusingStringConverter"/>).
/// </summary>
internal sealed class NulCharacterGuard(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var where = HasNul(request.Path.Value) ? "path"
            : request.Query.Any(q => HasNul(q.Key) || q.Value.Any(HasNul)) ? "query string"
            : null;
        // An upload's only text, the file name, is checked by the upload itself.
        if (where is null && request.HasFormContentType && !AttachmentEndpoints.IsUpload(request))
        {
            try
            {
                var form = await request.ReadFormAsync(context.RequestAborted);
                where = form.Any(f => HasNul(f.Key) || f.Value.Any(HasNul)) || form.Files.Any(f => HasNul(f.FileName)) ? "form" : null;
            }
            catch (InvalidDataException unreadable)
            {
                await RefuseAsync(context, $"The form cannot be read: {unreadable.Message}");
                return;
            }
        }

        if (where is not null)
        {
            await RefuseAsync(context, $"The {where} contains the NUL character (U+0000), which no text may contain; remove it.");
            return;
        }

        await next(context);
    }

    private static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    private Task RefuseAsync(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Bad request", Detail = detail },
        }).AsTask();
    }
}
