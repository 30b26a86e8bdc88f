using System.Collections.Frozen;
using System.IO.Compression;
using Microsoft.AspNetCore.Identity;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>
/// Refuses the 100,000 most common passwords (ignoring case) and the account's own email address,
/// instead of composition rules (NIST SP 800-63B §5.1.1.2). The list is embedded
/// (common-passwords.txt.gz; source and licence in common-passwords.NOTICE.md) and read once.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<WatchtowerUser>
{
    public const string TooCommonCode = "PasswordTooCommon";
    public const string SameAsEmailCode = "PasswordSameAsEmail";

    private static readonly Lazy<FrozenSet<string>> List = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>How many distinct passwords (ignoring case) the list holds.</summary>
    public static int Count => List.Value.Count;

    public static bool IsCommon(string password) => List.Value.Contains(password);

    public Task<IdentityResult> ValidateAsync(UserManager<WatchtowerUser> manager, WatchtowerUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        if (IsCommon(password))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = TooCommonCode,
                Description = "This password is one of the most common ones, which attackers try first. Choose another.",
            }));
        }

        if (user.Email is { Length: > 0 } email && string.Equals(password.Trim(), email, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = SameAsEmailCode,
                Description = "Your password must not be your email address.",
            }));
        }

        return Task.FromResult(IdentityResult.Success);
    }

    private static FrozenSet<string> Load()
    {
        using var resource = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("Watchtower.CommonPasswords.txt.gz")
            ?? throw new InvalidOperationException("The embedded common-password list is missing.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var passwords = new List<string>(100_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                passwords.Add(line);
            }
        }

        return passwords.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
