using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace OneThing.Api.Extensions;

/// <summary>
/// Requests the framework cannot bind (broken JSON, wrong content type, a body over the limit) become a problem
/// answer that says what was wrong, instead of an empty 400 or a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var status = badRequest.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status413PayloadTooLarge =>
                $"The request body is larger than the limit of {(Attachments.AttachmentEndpoints.IsUpload(httpContext.Request) ? Attachments.AttachmentEndpoints.MaxUploadRequestBytes : HostingExtensions.MaxRequestBodyBytes) / 1024} KiB.",
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as JSON with Content-Type: application/json.",
            _ when badRequest.InnerException is NulCharacterException nul => $"{NulCharacter.Refusal} Found at {nul.Path}.",
            _ when badRequest.InnerException is JsonException json => $"The request body is not valid JSON: {json.Message}",
            _ => badRequest.Message,
        };

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                Detail = detail,
            },
        });
    }
}
