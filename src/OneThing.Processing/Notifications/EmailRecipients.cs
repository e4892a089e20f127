using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using OneThing.Engine;
using OneThing.Processing.Accounts;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Notifications;

/// <summary>
/// Where a notification goes by e-mail. The applicant: the form's e-mail field, when the workflow has one. The clerk:
/// the filing clerk's own account address, else the configured duty mailbox (an incident has no filing clerk). Any
/// other recipient kind: the mailboxes configured for it.
/// </summary>
public sealed class EmailRecipients(OneThingDbContext db, IOptions<NotificationOptions> options)
{
    public async Task<IReadOnlyList<string>> ForAsync(string recipient, string? filedBy, string form, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (recipient == NotificationSpec.Applicant && ApplicantEmail(form, smtp.ApplicantEmailField) is { } applicant)
        {
            return [applicant];
        }

        if (recipient == NotificationSpec.Clerk && filedBy is not null && await ClerkEmailAsync(filedBy, cancellationToken) is { } clerk)
        {
            return [clerk];
        }

        return smtp.Addresses.TryGetValue(recipient, out var configured) ? NotificationOptions.SplitList(configured) : [];
    }

    private static string? ApplicantEmail(string form, string field)
    {
        using var document = JsonDocument.Parse(form);
        return document.RootElement.ValueKind == JsonValueKind.Object
               && document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
               && MailboxAddress.TryParse(value.GetString(), out var address) && address.Address.Contains('@')
            ? address.Address
            : null;
    }

    private Task<string?> ClerkEmailAsync(string userName, CancellationToken cancellationToken) =>
        (from account in db.Users
         join membership in db.UserRoles on account.Id equals membership.UserId
         join role in db.Roles on membership.RoleId equals role.Id
         where account.UserName == userName && role.Name == Roles.Clerk && account.Email != null && account.Email != ""
         select account.Email).FirstOrDefaultAsync(cancellationToken);
}
