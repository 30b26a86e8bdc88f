using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure;

internal static class AccountsSetup
{
    /// <summary>ASP.NET Core Identity: password rules, lockout after failed logins, unique emails.</summary>
    public static void AddWatchtowerAccounts(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddIdentity<WatchtowerUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<WatchtowerDbContext>()
            .AddDefaultTokenProviders();

        builder.Services.AddDataProtection()
            .SetApplicationName("Watchtower")
            .PersistKeysToDbContext<WatchtowerDbContext>();

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

        builder.Services.AddScoped<AccountScope>();
        builder.Services.AddScoped<Checks.CheckService>();
        builder.Services.AddSingleton<Checks.TestNowLimiter>();
    }
}
