using Microsoft.Extensions.DependencyInjection.Extensions;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Formatting.Compact;
using Watchtower.Data;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.DataProtection;
using Watchtower.Monitoring.Alerts;
using Watchtower.Monitoring.Email;
using Watchtower.Monitoring.Engine;
using Watchtower.Monitoring.History;
using Watchtower.Monitoring.Incidents;
using Watchtower.Monitoring.Retention;
using Watchtower.Monitoring.State;
using Watchtower.Probes;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Tls;

namespace Watchtower.Monitoring.Hosting;

/// <summary>What both hosts share: logging, storage, probes, the engine and health checks.</summary>
public static class WatchtowerHostBuilderExtensions
{
    public static IHostApplicationBuilder AddWatchtowerCore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddWatchtowerLogging();
        var database = DatabaseSettings.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddWatchtowerData(database);
        builder.Services.AddWatchtowerProbes();
        // Every option is bound and checked when the host starts: a bad value stops it with the setting's name.
        builder.Services.AddOptions<EgressOptions>().BindConfiguration(EgressOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EgressOptions>, EgressOptionsValidator>();
        builder.Services.AddOptions<TlsOptions>().BindConfiguration(TlsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>();
        builder.AddWatchtowerEngine(database);
        builder.AddWatchtowerAlerts(database);
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<WatchtowerDbContext>("database", tags: [ReadyTag]);
        return builder;
    }

    private const string ReadyTag = "ready";

    /// <summary>
    /// The alert outbox, its channels and its dispatcher. Data Protection keys live in the database,
    /// so a secret saved by the Web host is read by any Worker (and cookies survive restarts).
    /// </summary>
    private static void AddWatchtowerAlerts(this IHostApplicationBuilder builder, DatabaseSettings database)
    {
        builder.Services.AddDataProtection()
            .SetApplicationName("Watchtower")
            .PersistKeysToDbContext<WatchtowerDbContext>();
        builder.AddWatchtowerEmail();
        var section = builder.Configuration.GetSection(AlertOptions.SectionName);
        builder.Services.AddOptions<AlertOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ChannelSecrets>();
        builder.Services.AddSingleton<AlertHttpClient>();
        builder.Services.AddSingleton<IChannelSender, EmailChannelSender>();
        builder.Services.AddSingleton<IChannelSender, WebhookChannelSender>();
        builder.Services.AddSingleton<IChannelSender, SlackChannelSender>();
        builder.Services.AddSingleton<IChannelSender, DiscordChannelSender>();
        builder.Services.AddSingleton<IChannelSender, TeamsChannelSender>();
        builder.Services.AddSingleton<IChannelSender, TelegramChannelSender>();
        builder.Services.AddSingleton<IChannelSender, NtfyChannelSender>();
        builder.Services.AddSingleton<IChannelSender, PagerDutyChannelSender>();
        builder.Services.AddScoped<IStateChangeHook, AlertRecorder>();
        builder.Services.AddSingleton<Subscribers.SubscriberTokens>();
        builder.Services.AddSingleton<Subscribers.SubscriberNotifier>();
        builder.Services.TryAddSingleton<Incidents.IncidentMarkdown>();
        builder.Services.AddScoped<AlertDeliveryJob>();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddScoped<IDeliveryClaimer, PostgresDeliveryClaimer>();
        }
        else
        {
            builder.Services.AddScoped<IDeliveryClaimer, SqliteDeliveryClaimer>();
        }

        builder.Services.AddSingleton<AlertDispatcher>();
        var engine = builder.Configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
        if (section.GetValue<bool?>("RunDispatcher") ?? engine.DispatcherEnabled)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        }
    }

    private static void AddWatchtowerLogging(this IHostApplicationBuilder builder)
    {
        var json = string.Equals(builder.Configuration["Watchtower:Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
                // EF logs its probe for a missing migrations-history table on a new database as an
                // error; failing commands still surface as exceptions where they matter.
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Database.Command", Serilog.Events.LogEventLevel.Fatal)
                // Keys live in the database (the operator's secret store), unencrypted by design.
                .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", Serilog.Events.LogEventLevel.Error)
                .MinimumLevel.Override("Hangfire", Serilog.Events.LogEventLevel.Information);
            if (json)
            {
                logger.WriteTo.Console(new CompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        });
    }

    private static void AddWatchtowerEngine(this IHostApplicationBuilder builder, DatabaseSettings database)
    {
        var section = builder.Configuration.GetSection(EngineOptions.SectionName);
        builder.Services.AddOptions<EngineOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var engine = section.Get<EngineOptions>() ?? new EngineOptions();

        // One storage instance per host, registered in DI, so that several hosts in one process
        // (tests) never share Hangfire's static JobStorage.Current.
        JobStorage storage = database.Provider == DatabaseProvider.Postgres
            ? CreatePostgresStorage(database.ConnectionString)
            : new InMemoryStorage(new InMemoryStorageOptions());
        builder.Services.AddSingleton(storage);
        builder.Services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        if (database.Provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddScoped<IDueCheckClaimer, PostgresDueCheckClaimer>();
        }
        else
        {
            builder.Services.AddScoped<IDueCheckClaimer, SqliteDueCheckClaimer>();
        }

        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ResultMessages>();
        builder.Services.AddScoped<CheckRecorder>();
        builder.Services.AddScoped<RollupWriter>();
        builder.Services.AddScoped<RollupRebuild>();
        builder.Services.AddScoped<Uptime>();
        builder.Services.AddSingleton<RollupRetention>(); // runs as a hosted service where the dispatcher does (below)
        builder.Services.AddScoped<IStateChangeHook, AutomaticIncidents>();
        builder.Services.AddScoped<ProbeBatchJob>();
        if (engine.DispatcherEnabled)
        {
            // Housekeeping runs where dispatching does: every install has at least one such host.
            // Added before the Hangfire server and the dispatcher, which start after it: the result
            // partitions of the coming days exist before this host writes (ResultRetention.StartAsync).
            builder.Services.AddHostedService<ResultRetention>();
            builder.Services.AddHostedService<AuditRetention>();
            builder.Services.AddSingleton<RecurringMaintenancePass>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RecurringMaintenancePass>());
        }

        builder.Services.AddSingleton<ResultWriter>();
        builder.Services.AddSingleton<ProbeEngine>();
        builder.Services.AddSingleton<ProbeLocations>();
        if (engine.RunServer)
        {
            builder.Services.AddHangfireServer((_, options) =>
            {
                options.Queues = engine.Queues.Select(ProbeQueues.ForLocation).Distinct().ToArray();
                options.WorkerCount = Math.Max(1, engine.WorkerCount);
                options.SchedulePollingInterval = TimeSpan.FromSeconds(5);
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{builder.Environment.ApplicationName}";
                // The dispatcher takes a location for dead when its servers stop beating (ProbeLocations).
                options.HeartbeatInterval = ProbeLocations.HeartbeatInterval;
            });
            builder.Services.AddHostedService<EngineShutdown>();
        }

        if (engine.DispatcherEnabled)
        {
            builder.Services.AddSingleton<CheckDispatcher>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<CheckDispatcher>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RollupRetention>());
        }
    }

    private static PostgreSqlStorage CreatePostgresStorage(string connectionString)
    {
        // Workers in other processes pick up jobs by polling; 1 s keeps dispatch latency low
        // at about one cheap query per second per server.
        var options = new PostgreSqlStorageOptions
        {
            QueuePollInterval = TimeSpan.FromSeconds(1),
            PrepareSchemaIfNecessary = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            // Batch jobs expire minutes after they finish (ProbeBatchJob): look for expired ones every
            // minute, so Hangfire's tables hold a few minutes of jobs, not an hour's.
            JobExpirationCheckInterval = TimeSpan.FromMinutes(1),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>/health/live answers while the process runs; /health/ready also checks the database.</summary>
    public static IEndpointRouteBuilder MapWatchtowerHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
