using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OneThing.Processing.Notifications;

public static class NotificationExtensions
{
    /// <summary>The log, SMTP and webhook channels, routed per recipient kind by the <c>Notifications</c> settings, checked at start-up.</summary>
    public static IHostApplicationBuilder AddOneThingNotifications(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotificationOptions>().Bind(builder.Configuration.GetSection(NotificationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        services.AddSingleton<INotificationChannel, LoggingNotificationChannel>();
        services.AddSingleton<INotificationChannel, SmtpNotificationChannel>();
        services.AddSingleton<INotificationChannel, WebhookNotificationChannel>();
        // No timeout of its own: each try is bounded by Notifications:SendTimeout.
        services.AddHttpClient(WebhookNotificationChannel.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<NotificationSending>();
        services.AddScoped<EmailRecipients>();
        return builder;
    }
}
