using System.Globalization;
using Microsoft.Extensions.Options;

namespace Watchtower.Probes.Egress;

/// <summary>
/// Every entry of <see cref="EgressOptions.AllowedAddresses"/> must read as one address or CIDR
/// range that may be allowed: a typo would otherwise allow nothing (or something else) silently.
/// The hosts register it with ValidateOnStart, so a bad entry stops the host, naming the setting.
/// </summary>
public sealed class EgressOptionsValidator : IValidateOptions<EgressOptions>
{
    public ValidateOptionsResult Validate(string? name, EgressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.AllowedAddresses.Count; i++)
        {
            if (!AllowedAddresses.TryParse(options.AllowedAddresses[i], out _, out var problem))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{EgressOptions.SectionName}:AllowedAddresses:{i}: {problem}"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
