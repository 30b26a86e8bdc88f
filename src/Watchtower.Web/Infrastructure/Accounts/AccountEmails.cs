using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Email;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>
/// The emails of accounts, in plain text and HTML, queued on the <see cref="EmailOutbox"/>. Also
/// Identity's <see cref="IEmailSender{TUser}"/>, so Identity's own endpoints would mail the same way.
/// </summary>
public sealed class AccountEmails(EmailOutbox outbox) : IEmailSender<WatchtowerUser>
{
    public Task SendConfirmationLinkAsync(WatchtowerUser user, string email, string confirmationLink) =>
        QueueAsync(email, "Confirm your email address for Watchtower",
            ["Confirm that this is your address, so that Watchtower may run your checks and you can reset your password if you ever need to."],
            ("Confirm my email address", confirmationLink),
            "If you did not create a Watchtower account, ignore this email: nothing happens without the link.");

    public Task SendPasswordResetLinkAsync(WatchtowerUser user, string email, string resetLink) =>
        QueueAsync(email, "Reset your Watchtower password",
            ["Someone (we hope you) asked to reset the password of the Watchtower account for this address. The link works once, within a day."],
            ("Choose a new password", resetLink),
            "If you did not ask, ignore this email: your password stays as it is.");

    public Task SendPasswordResetCodeAsync(WatchtowerUser user, string email, string resetCode) =>
        QueueAsync(email, "Your Watchtower password reset code",
            [$"Your password reset code is {resetCode}. It works once, within a day."], null,
            "If you did not ask, ignore this email: your password stays as it is.");

    /// <summary>Sign-up with an address that already has an account: the owner hears of it, the visitor learns nothing.</summary>
    public Task SendSignUpAttemptAsync(string email, string resetLink) =>
        QueueAsync(email, "Someone tried to sign up to Watchtower with your address",
            ["Someone just tried to create a Watchtower account with this email address, which already has one. No second account was made.",
             "If it was you and you have forgotten your password, choose a new one here (the link works once, within a day):"],
            ("Choose a new password", resetLink),
            "If it was not you, ignore this email: nothing has changed.");

    /// <summary>An invitation to a team: the link works once, for this address, until it expires.</summary>
    public Task SendTeamInvitationAsync(string email, string teamName, string invitedBy, string role, string joinLink, DateTimeOffset expiresAt) =>
        QueueAsync(email, $"{invitedBy} invited you to the team “{teamName}” on Watchtower",
            [$"{invitedBy} invited you to join the team “{teamName}” on Watchtower as {role}.",
             $"Open the link to join. It works once, for this address only, until {expiresAt.UtcDateTime:d MMM yyyy HH:mm} UTC. If you have no Watchtower account yet, sign up with this address first."],
            ("Join the team", joinLink),
            "If you did not expect this, ignore this email: nothing happens without the link.");

    /// <summary>A new address takes effect only when its owner opens this link.</summary>
    public Task SendEmailChangeLinkAsync(string newEmail, string confirmationLink) =>
        QueueAsync(newEmail, "Confirm your new Watchtower email address",
            ["Open this link to make this the address you sign in to Watchtower with. Until then the old address stays in use."],
            ("Use this address", confirmationLink),
            "If you did not ask for this, ignore this email: nothing changes without the link.");

    /// <summary>Tells the old address that the account now signs in with another one.</summary>
    public Task SendEmailChangedNoticeAsync(string oldEmail, string newEmail) =>
        QueueAsync(oldEmail, "Your Watchtower email address was changed",
            [$"The Watchtower account that used this address now signs in with {newEmail}.",
             "If you did not make this change, reply to the operator of this Watchtower instance at once."],
            null, null);

    private Task QueueAsync(string to, string subject, string[] paragraphs, (string Text, string Url)? action, string? footer)
    {
        var text = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5;color:#1c2430\">");
        foreach (var paragraph in paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
            html.Append("<p>").Append(HtmlEncoder.Default.Encode(paragraph)).Append("</p>");
        }

        if (action is var (label, url))
        {
            text.Append(label).Append(":\n").Append(url).Append("\n\n");
            var href = HtmlEncoder.Default.Encode(url);
            html.Append("<p><a href=\"").Append(href).Append("\" style=\"display:inline-block;padding:.5rem 1rem;background:#1f5fbf;color:#fff;border-radius:.35rem;text-decoration:none\">")
                .Append(HtmlEncoder.Default.Encode(label)).Append("</a></p>")
                .Append("<p style=\"font-size:.9em;color:#5b6675\">Or copy this address into your browser: ").Append(href).Append("</p>");
        }

        if (footer is not null)
        {
            text.Append(footer).Append('\n');
            html.Append("<p style=\"font-size:.9em;color:#5b6675\">").Append(HtmlEncoder.Default.Encode(footer)).Append("</p>");
        }

        html.Append("</body></html>");
        outbox.Enqueue(new EmailMessage(to, subject, text.ToString(), html.ToString()));
        return Task.CompletedTask;
    }
}
