using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace OneThing.Api.Extensions;

/// <summary>
/// Refuses oversize bodies up front when their length is declared, so the client hears 413 before sending it all
/// (and so the limit also holds under the in-memory test server, which has no Kestrel limits).
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > HostingExtensions.MaxRequestBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request body too large",
                    Detail = $"The request body is larger than the limit of {HostingExtensions.MaxRequestBodyBytes / 1024} KiB.",
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = HostingExtensions.MaxRequestBodyBytes;
        }

        await next(context);
    }
}
