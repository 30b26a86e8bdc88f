using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchtower.Web.Infrastructure.Outage;

using Watchtower.Web.Teams;

namespace Watchtower.Web.Infrastructure;

internal static class WebSetup
{
    public const string AuthRateLimit = "auth";
    public const string PagePasswordRateLimit = "page-password";
    public const string SubscribeRateLimit = "subscribe";
    public const string StatusPageCachePolicy = "status-page";
    public const string StatusPageCacheTag = "status-pages";

    /// <summary>The public page's feeds, badges, Statuspage API and widget: the same expiry and tag as the page.</summary>
    public const string StatusApiCachePolicy = "status-page-api";

    /// <summary>Account pages open without signing in; the rest of /Account (Manage) needs a session.</summary>
    private static readonly string[] AnonymousAccountPages =
    [
        "/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Logout", "/Account/Register",
        "/Account/CheckEmail", "/Account/ConfirmEmail", "/Account/ConfirmEmailChange", "/Account/ForgotPassword", "/Account/ResetPassword",
    ];

    /// <summary>Pages whose posts guess at or mail to an account: limited per client address.</summary>
    private static readonly string[] RateLimitedAccountPages =
    [
        "/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Register", "/Account/ForgotPassword",
        "/Account/ResetPassword", "/Account/Manage/ChangePassword", "/Account/Manage/Email", "/Account/Manage/Delete",
        "/Account/Manage/ResendConfirmation",
    ];

    public static void AddWatchtowerWeb(this WebApplicationBuilder builder)
    {
        // No "Server: Kestrel" header: it tells a scanner what to try and nobody else anything.
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(PublicAddress.FromConfiguration(builder.Configuration));
        builder.Services.TryAddSingleton<IncidentMarkdown>();
        builder.Services.AddScoped<Incidents.IncidentService>();
        builder.Services.AddScoped<Incidents.MaintenanceService>();
        builder.Services.AddScoped<Incidents.PublicIncidents>();
        builder.Services.AddOptions<Branding.StatusPageOptions>().BindConfiguration(Branding.StatusPageOptions.SectionName);
        builder.Services.AddScoped<Branding.PageAccess>();
        builder.Services.AddSingleton<Branding.CustomDomains>();
        builder.Services.AddSingleton<Branding.DomainVerifier>();
        builder.Services.AddScoped<PublicApi.PublicPageReader>();
        builder.Services.AddSingleton<PublicApi.PageFeeds>();
        builder.Services.AddScoped<PublicApi.IUptimeSource, PublicApi.RollupUptimeSource>();
        builder.Services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/");
            options.Conventions.AllowAnonymousToPage("/Index");
            foreach (var page in AnonymousAccountPages)
            {
                options.Conventions.AllowAnonymousToPage(page);
            }

            options.Conventions.AllowAnonymousToFolder("/Status");
            options.Conventions.AllowAnonymousToFolder("/Errors");
            foreach (var page in RateLimitedAccountPages)
            {
                options.Conventions.AddPageApplicationModelConvention(page, RateLimited);
            }
        });

        builder.Services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(options =>
        {
            // Bad requests say what was wrong (400), never a 500: an action the page lacks, a form that cannot be read.
            options.Filters.Add(new KnownHandlerFilter());
            options.Filters.Add(new FormBodyFilter());
            options.Filters.Add(new Teams.TeamAccessFilter());
            options.ModelBinderProviders.Insert(0, new CheckboxBinderProvider());
            options.ModelBinderProviders.Insert(0, new Checks.LinesBinderProvider());
            options.ModelBinderProviders.Insert(0, new EnumBinderProvider());

            // Every required field says so with its own [Required] message; no generic "field is required".
            options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;

            // Binding messages people can act on, never echoing a (possibly huge) typed value.
            var messages = options.ModelBindingMessageProvider;
            messages.SetAttemptedValueIsInvalidAccessor((_, field) => $"{field} must be a whole number.");
            messages.SetValueMustBeANumberAccessor(field => $"{field} must be a whole number.");
            messages.SetValueIsInvalidAccessor(_ => "This value is not valid.");
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => "This value is not valid.");
            messages.SetUnknownValueIsInvalidAccessor(field => $"{field} is not valid.");
        });

        // Sign-in, sign-up and other account posts are limited per client address; page views are not.
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var permitPerMinute = builder.Configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>()?.AuthPostsPerMinute ?? new RateLimitOptions().AuthPostsPerMinute;
        var passwordsPerMinute = Math.Max(1, builder.Configuration.GetSection(Branding.StatusPageOptions.SectionName).Get<Branding.StatusPageOptions>()?.PasswordPostsPerMinute ?? new Branding.StatusPageOptions().PasswordPostsPerMinute);
        var subscribesPerHour = Math.Max(1, builder.Configuration.GetSection(Branding.StatusPageOptions.SectionName).Get<Branding.StatusPageOptions>()?.SubscribePostsPerHour ?? new Branding.StatusPageOptions().SubscribePostsPerHour);
        builder.Services.AddSingleton<Subscribers.SubscriptionLimiter>();
        builder.Services.AddScoped<Subscribers.SubscriptionService>();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(AuthRateLimit, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = permitPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("views"));
            // Page passwords: guesses per client address and page (the path names the page, on every host).
            options.AddPolicy(PagePasswordRateLimit, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        $"{context.Connection.RemoteIpAddress}|{context.Request.Host.Host.ToLowerInvariant()}|{context.Request.Path.Value?.ToLowerInvariant()}",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = passwordsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("views"));
            // Subscription requests: a few per client address and hour, so the form cannot flood inboxes.
            options.AddPolicy(SubscribeRateLimit, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        $"{context.Connection.RemoteIpAddress}",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = subscribesPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("views"));
            options.OnRejected = async (context, token) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many attempts from your address. Wait a minute and try again.", token);
            };
        });

        // The public page is the same for every reader: one entry per page address. The default policy
        // varies by every query string and the Host header, so "?x=1", "?x=2"… or a made-up Host each
        // made a new entry and a database query; nothing in the page depends on either. The path keys
        // the entry without regard to case (as the slug is read), so no vary by the route value, whose
        // comparison is ordinal: /status/ACME and /status/acme are one page and one entry.
        var cacheFor = TimeSpan.FromSeconds(builder.Configuration.GetValue("Watchtower:StatusPages:CacheSeconds", 5));
        var linksFollowHost = string.IsNullOrWhiteSpace(builder.Configuration[PublicAddress.SettingName]);
        builder.Services.AddOutputCache(options =>
        {
            options.AddPolicy(StatusPageCachePolicy, policy => policy
                .Expire(cacheFor)
                // Only what selects the content: the path (page and incident, without regard to case),
                // the history page number. Not the route values: their comparison is ordinal, so
                // /status/ACME and /status/acme made two entries. Any other query string is served the
                // same cached bytes (no database query).
                .SetVaryByQuery("p")
                // Not the Host header itself (a made-up Host must not make an entry), but the site it
                // names: the instance ("") or a verified custom domain, where links point elsewhere.
                .SetVaryByHost(false)
                .VaryByValue(context => new KeyValuePair<string, string>("site", Branding.CustomDomains.SiteOf(context)?.Domain ?? ""))
                .Tag(StatusPageCacheTag));
            // Feeds, badges, the Statuspage API and the widget: the path (which holds the page and the
            // service, and keys the entry without regard to case) and the uptime window (only 1, 7, 30
            // or 90 get an answer worth keeping; anything else is a 400, never cached). Their links are
            // absolute: without a configured public address they are made from the request's Host, so
            // the entry is kept per Host — else one made-up Host header would put its links in every
            // reader's copy.
            options.AddPolicy(StatusApiCachePolicy, policy => policy
                .Expire(cacheFor)
                .SetVaryByQuery("days")
                .SetVaryByHost(linksFollowHost)
                .VaryByValue(context => new KeyValuePair<string, string>("site", Branding.CustomDomains.SiteOf(context)?.Domain ?? ""))
                .Tag(StatusPageCacheTag));
        });
        builder.Services.AddSingleton<StatusPageSnapshots>();

        // Forwarded headers only from the configured proxies; checked at start. PostConfigure, so that
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED (whose setup trusts every peer) cannot widen it.
        builder.Services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<ProxyOptions>>((forwarded, proxies) => proxies.Value.ApplyTo(forwarded));
    }

    public static void UseWatchtowerWeb(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Errors/500");
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/Errors/{0}");
        app.UseUtf8Bodies();
        app.Use(async (context, next) =>
        {
            SecurityHeaders.Apply(context.Response);
            await next(context);
        });
        app.UseStaticFiles();
        app.UseSerilogRequestLoggingWithoutHealth();
        // Inside the request log (which then records the 503), around everything that reads the database.
        app.UseDatabaseOutagePage();
        // Before routing: a verified custom domain's paths are its page's paths.
        Branding.CustomDomains.UseCustomDomains(app);
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseTeamContext();
        app.UseAuthorization();
        app.UseOutputCache();
    }

    private static void UseSerilogRequestLoggingWithoutHealth(this WebApplication app) =>
        Serilog.SerilogApplicationBuilderExtensions.UseSerilogRequestLogging(app, options =>
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health") ? Serilog.Events.LogEventLevel.Verbose
                : Serilog.Events.LogEventLevel.Information);

    private static void RateLimited(Microsoft.AspNetCore.Mvc.ApplicationModels.PageApplicationModel model) =>
        model.EndpointMetadata.Add(new EnableRateLimitingAttribute(AuthRateLimit));
}
