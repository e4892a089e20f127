using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Engine;
using OneThing.Processing.Attachments;

namespace OneThing.Api.Attachments;

/// <param name="Sha256">Lower-case hex SHA-256 of the stored bytes.</param>
public sealed record AttachmentResponse(Guid AttachmentId, string FileName, string ContentType, long Size, string Sha256);

public static class AttachmentEndpoints
{
    public const string UploadPath = "/api/attachments";

    /// <summary>The largest upload request: one file of the largest size and the multipart envelope around it.</summary>
    public const long MaxUploadRequestBytes = FormValidator.MaxAttachmentBytes + 64 * 1024;

    private const string FilePart = "file";

    /// <summary>
    /// The upload is read part by part as it arrives, not by the form reader (which would first buffer a whole file in
    /// memory or on disk), and may be larger than other requests.
    /// </summary>
    public static bool IsUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Value?.TrimEnd('/').Equals(UploadPath, StringComparison.OrdinalIgnoreCase) == true;

    public static IEndpointRouteBuilder MapAttachmentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(UploadPath, UploadAsync).RequireAuthorization(Policies.FileCases).WithTags("Attachments").WithName("UploadAttachment")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Described by hand: an Accepts(...) content-type filter would answer 415 before authorization does.
                operation.RequestBody = UploadBody();
                return Task.CompletedTask;
            })
            .WithSummary("Upload one file (multipart/form-data, part \"file\"; PDF, JPEG or PNG, at most 10 MiB) to use in a filing or supplement within a day (clerks)");
        routes.MapGet("/api/cases/{caseId:guid}/attachments/{attachmentId:guid}", DownloadAsync).RequireAuthorization(Policies.ReadAttachments)
            .WithTags("Attachments").WithName("DownloadAttachment")
            .WithSummary("A case's file, for those who may see its field: the filer, supervisors, reviewers of a step that sees it (audited)");
        return routes;
    }

    private static OpenApiRequestBody UploadBody() => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["multipart/form-data"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { FilePart },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        [FilePart] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "PDF, JPEG or PNG, at most 10 MiB" },
                    },
                },
            },
        },
    };

    private static async Task<Results<Created<AttachmentResponse>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest request, UploadAttachment upload, HttpContext http, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the file as multipart/form-data",
                detail: "Send one file as multipart/form-data in a part named \"file\". 请以 multipart/form-data 格式上传一个文件，字段名为 file。");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
        {
            return Unreadable("The Content-Type has no multipart boundary (at most 70 characters).");
        }

        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition()
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(FilePart, StringComparison.Ordinal))
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    var result = await upload.HandleAsync(new UploadAttachmentCommand(fileName, section.ContentType, section.Body, http.AuditActor()), cancellationToken);
                    return Answer(result);
                }
            }
        }
        catch (InvalidDataException unreadable)
        {
            return Unreadable(unreadable.Message);
        }

        return Unreadable("There is no file part named \"file\".");
    }

    private static Results<Created<AttachmentResponse>, ValidationProblem, ProblemHttpResult> Answer(UploadAttachmentResult result) => result switch
    {
        UploadAttachmentResult.Stored { Attachment: var a } =>
            TypedResults.Created((string?)null, new AttachmentResponse(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256)),
        UploadAttachmentResult.TooLarge tooLarge => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
            detail: $"{tooLarge.Error.MessageEn}. {tooLarge.Error.MessageZh}。"),
        UploadAttachmentResult.Refused refused => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "File refused by the scan",
            detail: $"{refused.Error.MessageEn}. {refused.Error.MessageZh}"),
        UploadAttachmentResult.Invalid invalid => TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [invalid.Error.Field] = [invalid.Error.MessageEn] },
            title: "The file was refused",
            extensions: new Dictionary<string, object?>
            {
                ["fieldErrors"] = new[] { new { field = invalid.Error.Field, messageZh = invalid.Error.MessageZh, messageEn = invalid.Error.MessageEn } },
            }),
        _ => throw new InvalidOperationException($"Unexpected result {result.GetType().Name}"),
    };

    private static ProblemHttpResult Unreadable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The upload cannot be read",
            detail: $"{detail} Send one file as multipart/form-data in a part named \"file\". 无法读取上传内容。");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid caseId, Guid attachmentId, ReadAttachment read, HttpContext http, CancellationToken cancellationToken)
    {
        var file = await read.HandleAsync(caseId, attachmentId, http.AuditActor(), http.User.Department(), cancellationToken);
        if (file is null)
        {
            return Problems.NotFound($"There is no attachment {attachmentId} on case {caseId}.");
        }

        // Served as a download of the checked type only: a browser must not guess another type and run it on this origin.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(file.Sha256))}:";
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }
}
