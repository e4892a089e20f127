using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using OneThing.Api.Attachments;

namespace OneThing.Api.Extensions;

/// <summary>
/// Refuses oversize bodies up front when their length is declared, so the client hears 413 before sending it all
/// (and so the limit also holds under the in-memory test server, which has no Kestrel limits).
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var maxBytes = AttachmentEndpoints.IsUpload(context.Request) ? AttachmentEndpoints.MaxUploadRequestBytes : HostingExtensions.MaxRequestBodyBytes;
        if (context.Request.ContentLength > maxBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request body too large",
                    Detail = $"The request body is larger than the limit of {maxBytes / 1024} KiB.",
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        await next(context);
    }
}
