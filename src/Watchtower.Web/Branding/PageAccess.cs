using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Branding;

/// <summary>What decides who may read a page: its visibility, team, and a stamp of its password (never the hash itself).</summary>
public sealed record PageGate(int PageId, string Slug, int TeamId, StatusPageVisibility Visibility, string? PasswordStamp)
{
    public bool IsPrivate => Visibility is StatusPageVisibility.Password or StatusPageVisibility.Members;

    public bool NoIndex => Visibility != StatusPageVisibility.Public;
}

public enum Admission
{
    Open,
    NeedsPassword,
    NeedsMembership,
}

/// <summary>
/// The visibility rules of public pages. A password page gives readers who enter the password a
/// cookie for that page only (its path, its host), protected by Data Protection, naming the page and a
/// stamp of its password hash — a new password shuts every earlier reader out. A members page opens
/// to signed-in members of its team. Private answers are never stored in the output cache and say
/// <c>no-store</c>, so no reader is ever served another reader's page.
/// </summary>
public sealed class PageAccess(IDataProtectionProvider protection, WatchtowerDbContext db, TimeProvider time)
{
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(30);

    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("Watchtower.StatusPagePassword").ToTimeLimitedDataProtector();

    public static string CookieName(int pageId) => "wt_page_" + pageId.ToString(CultureInfo.InvariantCulture);

    /// <summary>A short digest of the stored hash: changes with every new password, reveals nothing of it.</summary>
    public static string? Stamp(string? passwordHash) =>
        passwordHash is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)))[..16];

    /// <summary>
    /// Whether this reader may see the page. Marks the response of a page that is not public (no index;
    /// and for private pages, no cache anywhere) whatever the answer.
    /// </summary>
    public async Task<Admission> DecideAsync(HttpContext context, PageGate gate, bool databaseUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(gate);
        if (gate.NoIndex)
        {
            context.Response.Headers["X-Robots-Tag"] = "noindex";
        }

        if (!gate.IsPrivate)
        {
            return Admission.Open;
        }

        KeepOutOfCaches(context);
        if (gate.Visibility == StatusPageVisibility.Password && HasPasswordCookie(context, gate))
        {
            return Admission.Open;
        }

        // The team's own members read their private page without its password too.
        if (databaseUp && context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            var member = await db.TeamMembers.AsNoTracking().AnyAsync(m => m.UserId == userId && m.TeamId == gate.TeamId, cancellationToken);
            if (member)
            {
                return Admission.Open;
            }
        }

        return gate.Visibility == StatusPageVisibility.Password ? Admission.NeedsPassword : Admission.NeedsMembership;
    }

    /// <summary>After the right password: the cookie for this page, on this host, under the page's own path.</summary>
    public void GrantPassword(HttpContext context, PageGate gate, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(gate);
        var value = protector.Protect(Payload(gate), time.GetUtcNow().Add(CookieLifetime));
        context.Response.Cookies.Append(CookieName(gate.PageId), value, new CookieOptions
        {
            Path = path,
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = CookieLifetime,
        });
    }

    public static void KeepOutOfCaches(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IOutputCacheFeature>() is { } cache)
        {
            cache.Context.AllowCacheStorage = false;
        }

        context.Response.Headers.CacheControl = "private, no-store";
    }

    private bool HasPasswordCookie(HttpContext context, PageGate gate)
    {
        if (gate.PasswordStamp is null || !context.Request.Cookies.TryGetValue(CookieName(gate.PageId), out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return false;
        }

        try
        {
            return protector.Unprotect(cookie, out var expires) == Payload(gate) && expires > time.GetUtcNow();
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string Payload(PageGate gate) => string.Create(CultureInfo.InvariantCulture, $"{gate.PageId}:{gate.PasswordStamp}");
}
