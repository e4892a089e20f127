using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OneThing.Processing.Attachments;

public static class AttachmentsExtensions
{
    /// <summary>Uploads, their binding to cases, downloads and the purge of unused uploads; register an <see cref="IAttachmentScanner"/> first to scan.</summary>
    public static IServiceCollection AddOneThingAttachments(this IServiceCollection services)
    {
        services.TryAddSingleton<IAttachmentScanner, NoAttachmentScanning>();
        services.AddScoped<UploadAttachment>();
        services.AddScoped<AttachmentBinding>();
        services.AddScoped<ReadAttachment>();
        services.AddSingleton<UnusedUploadPurge>();
        services.AddHostedService(sp => sp.GetRequiredService<UnusedUploadPurge>());
        return services;
    }
}
