using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Watchtower.Data.Configurations;
using Watchtower.Data.Entities;

namespace Watchtower.Data;

public sealed class WatchtowerDbContext(DbContextOptions<WatchtowerDbContext> options)
    : IdentityDbContext<WatchtowerUser>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core data-protection keys, shared by every Web instance so cookies survive restarts and scale-out.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<TeamInvitation> TeamInvitations => Set<TeamInvitation>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<StatusPage> StatusPages => Set<StatusPage>();
    public DbSet<StatusPageCheck> StatusPageChecks => Set<StatusPageCheck>();
    public DbSet<StatusPageGroup> StatusPageGroups => Set<StatusPageGroup>();
    public DbSet<StatusPageLogo> StatusPageLogos => Set<StatusPageLogo>();
    public DbSet<Check> Checks => Set<Check>();
    public DbSet<CheckResult> CheckResults => Set<CheckResult>();
    public DbSet<ResultMessage> ResultMessages => Set<ResultMessage>();
    public DbSet<CheckStateChange> CheckStateChanges => Set<CheckStateChange>();
    public DbSet<CheckHourlyRollup> HourlyRollups => Set<CheckHourlyRollup>();
    public DbSet<CheckDailyRollup> DailyRollups => Set<CheckDailyRollup>();
    public DbSet<CheckRollupCursor> RollupCursors => Set<CheckRollupCursor>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<IncidentUpdate> IncidentUpdates => Set<IncidentUpdate>();
    public DbSet<IncidentComponent> IncidentComponents => Set<IncidentComponent>();
    public DbSet<Maintenance> Maintenances => Set<Maintenance>();
    public DbSet<MaintenanceComponent> MaintenanceComponents => Set<MaintenanceComponent>();
    public DbSet<RecurringMaintenance> RecurringMaintenances => Set<RecurringMaintenance>();
    public DbSet<NotificationChannel> NotificationChannels => Set<NotificationChannel>();
    public DbSet<CheckChannel> CheckChannels => Set<CheckChannel>();
    public DbSet<AlertEvent> AlertEvents => Set<AlertEvent>();
    public DbSet<AlertDelivery> AlertDeliveries => Set<AlertDelivery>();
    public DbSet<Subscriber> Subscribers => Set<Subscriber>();
    public DbSet<SubscriberComponent> SubscriberComponents => Set<SubscriberComponent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(WatchtowerDbContext).Assembly);
        CheckVersion.Configure(builder.Entity<Check>(), Database.IsSqlite() ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>SQLite has no xmin: a changed check carries its version forward, and the update only applies where the old one still stands.</summary>
    private void BumpVersions()
    {
        if (!Database.IsSqlite())
        {
            return;
        }

        foreach (var entry in ChangeTracker.Entries<Check>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version = entry.Property(c => c.Version).OriginalValue + 1;
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Enums are stored by name everywhere, columns and JSON settings alike: renumbering a member never changes data.
        configurationBuilder.Properties<Enum>().HaveConversion<string>();

        // SQLite cannot compare or order DateTimeOffset values in SQL; store them as sortable
        // integers there. PostgreSQL keeps native timestamptz.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
