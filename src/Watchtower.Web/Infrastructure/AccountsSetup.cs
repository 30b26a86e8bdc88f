using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Email;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Infrastructure;

internal static class AccountsSetup
{
    /// <summary>
    /// ASP.NET Core Identity: long passwords that are not common, growing waits after failed sign-ins,
    /// authenticator-app two-factor, sessions that end for real (the security stamp is checked on
    /// every request and changed on sign-out), and account emails.
    /// </summary>
    public static void AddWatchtowerAccounts(this WebApplicationBuilder builder)
    {
        var accounts = builder.Configuration.GetSection(AccountOptions.SectionName);
        builder.Services.AddOptions<AccountOptions>()
            .Bind(accounts)
            .Validate(o => o.FreeSignInAttempts >= 1, "Watchtower:Accounts:FreeSignInAttempts must be at least 1.")
            .Validate(o => o.FirstSignInDelay > TimeSpan.Zero && o.MaxSignInDelay >= o.FirstSignInDelay,
                "Watchtower:Accounts:FirstSignInDelay must be positive and MaxSignInDelay at least as long.")
            .Validate(o => o.EmailInterval >= TimeSpan.Zero, "Watchtower:Accounts:EmailInterval must not be negative.")
            .ValidateOnStart();
        var freeAttempts = accounts.Get<AccountOptions>()?.FreeSignInAttempts ?? new AccountOptions().FreeSignInAttempts;

        // Links in emails carry tokens; outside Development they must never be built from the Host header.
        if (!builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration[PublicAddress.SettingName]))
        {
            throw new InvalidOperationException(
                $"Set {PublicAddress.SettingName} (such as https://status.example.com): outside Development, links in emails are never built from the request's Host header.");
        }

        builder.Services
            .AddIdentity<WatchtowerUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // The user name is the email address; [EmailAddress] already judges its characters.
                options.User.AllowedUserNameCharacters = "";
                // Length and the common-password list, no composition rules (NIST SP 800-63B).
                options.Password.RequiredLength = 10;
                options.Password.RequiredUniqueChars = 1;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                // Failures lead to growing waits (WatchtowerUserManager), never to a fixed lockout.
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = freeAttempts;
                options.SignIn.RequireConfirmedAccount = false;
                options.SignIn.RequireConfirmedEmail = false;
            })
            .AddEntityFrameworkStores<WatchtowerDbContext>()
            .AddUserManager<WatchtowerUserManager>()
            .AddSignInManager<WatchtowerSignInManager>()
            .AddClaimsPrincipalFactory<WatchtowerClaimsFactory>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddDefaultTokenProviders();

        // Every request checks the cookie's security stamp against the account, so a changed stamp
        // (sign-out, "sign out everywhere", new password, new email) ends every copy of the cookie at once.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);

        // Data Protection (keys in the database) is set up by AddWatchtowerCore: the Worker reads alert channel secrets with the same keys.

        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.LogoutPath = "/Account/Logout";
            options.AccessDeniedPath = "/Account/Login";
            options.Cookie.Name = "watchtower.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
        });

        builder.Services.AddSingleton<EmailOutbox>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmailOutbox>());
        builder.Services.AddScoped<AccountEmails>();
        builder.Services.AddScoped<IEmailSender<WatchtowerUser>>(services => services.GetRequiredService<AccountEmails>());
        builder.Services.AddScoped<AccountMailer>();
        builder.Services.AddScoped<MailThrottle>();
        builder.Services.AddSingleton<SiteLinks>();
        builder.Services.AddSingleton<AccountRules>();

        builder.Services.AddScoped<TeamScope>();
        builder.Services.AddScoped<Checks.CheckService>();
        builder.Services.AddScoped<Alerts.ChannelService>();
        builder.Services.AddScoped<Teams.TeamService>();
        builder.Services.AddScoped<Teams.AuditLog>();
        builder.Services.AddOptions<Teams.QuotaOptions>().BindConfiguration(Teams.QuotaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Checks.TestNowLimiter>();
    }
}
