using Microsoft.Extensions.Options;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// Every proxy entry must parse: a malformed one stops the start with the setting's name, where
/// before it was skipped without a word and the proxy silently not trusted (or, worse, a mistyped
/// address read as another machine's). The entries are read from configuration rather than from
/// the bound lists, so each message names the key as the operator wrote it.
/// </summary>
internal sealed class ProxyOptionsValidator(IConfiguration configuration) : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var failures = new List<string>();
        Check(ProxyOptions.KnownProxiesKey, text => ProxyOptions.TryParseAddress(text, out _), "an IP address (like 10.0.0.5 or fd00::5)", failures);
        Check(ProxyOptions.KnownNetworksKey, text => ProxyOptions.TryParseNetwork(text, out _), "a network in CIDR notation (like 10.0.0.0/8 or fd00::/8)", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void Check(string key, Func<string, bool> parses, string expected, List<string> failures)
    {
        var section = configuration.GetSection(key);
        if (!string.IsNullOrEmpty(section.Value))
        {
            // One value where a list belongs binds to nothing; say so instead of trusting nobody in silence.
            failures.Add($"{key} is a list: set {key}:0, {key}:1 … (as environment variables {key.Replace(":", "__", StringComparison.Ordinal)}__0, __1 …).");
        }

        foreach (var entry in section.GetChildren())
        {
            if (entry.Value is not { } text || !parses(text))
            {
                failures.Add($"{entry.Path} is “{entry.Value}”, which is not {expected}.");
            }
        }
    }
}
