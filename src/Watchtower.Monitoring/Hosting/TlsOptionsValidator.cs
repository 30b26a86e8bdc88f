using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Watchtower.Probes.Tls;

namespace Watchtower.Monitoring.Hosting;

/// <summary>Every extra root file must exist and hold at least one PEM certificate; a typo would otherwise make a private PKI's checks fail as untrusted.</summary>
internal sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.TrustedRootFiles.Count; i++)
        {
            var file = options.TrustedRootFiles[i];
            var setting = $"{TlsOptions.SectionName}:TrustedRootFiles:{i}";
            if (!File.Exists(file))
            {
                failures.Add($"{setting}: no file at {file}.");
                continue;
            }

            try
            {
                var roots = new X509Certificate2Collection();
                roots.ImportFromPemFile(file);
                if (roots.Count == 0)
                {
                    failures.Add($"{setting}: {file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
                }
            }
            catch (CryptographicException ex)
            {
                failures.Add($"{setting}: {file} could not be read as PEM certificates: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
