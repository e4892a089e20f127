using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace OneThing.Api.Public;

public sealed class PublicApiOptions
{
    public const string Section = "PublicApi";

    /// <summary>Requests per client address and minute to the public endpoints: enough for an applicant, too few to guess digits.</summary>
    public int PermitsPerMinute { get; set; } = 20;
}

internal static class PublicRateLimit
{
    public static WebApplicationBuilder AddPublicRateLimit(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(PublicApiOptions.Section).Get<PublicApiOptions>() ?? new PublicApiOptions();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PublicCaseEndpoints.RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = "Too many look-ups from this address; wait a minute and try again. 查询过于频繁，请稍后再试。",
                    },
                });
            };
        });
        return builder;
    }
}
