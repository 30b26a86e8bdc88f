using Microsoft.Extensions.Options;
using MimeKit;

namespace Watchtower.Monitoring.Email;

/// <summary>Refuses settings that could only fail when the first message is sent.</summary>
internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            errors.Add("Watchtower:Email:Port must be between 1 and 65535 (or 0 for the usual port).");
        }

        if (!Enum.IsDefined(options.Security))
        {
            errors.Add("Watchtower:Email:Security must be None, StartTls or Implicit.");
        }

        if (options.UsesSmtp && string.IsNullOrWhiteSpace(options.FromAddress))
        {
            errors.Add("Watchtower:Email:FromAddress is required when Watchtower:Email:Host is set.");
        }

        if (!string.IsNullOrWhiteSpace(options.FromAddress) && !MailboxAddress.TryParse(options.FromAddress, out _))
        {
            errors.Add($"Watchtower:Email:FromAddress '{options.FromAddress}' is not an email address.");
        }

        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
        {
            errors.Add("Watchtower:Email:Username and Watchtower:Email:Password go together: set both or neither.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add("Watchtower:Email:Timeout must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
