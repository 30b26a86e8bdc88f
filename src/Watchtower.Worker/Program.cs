using Watchtower.Data;
using Watchtower.Monitoring.Hosting;
using Watchtower.Worker;

// `Watchtower.Worker rollups rebuild [--days N] [--check ID]`: recompute history from the raw results still held, then exit.
if (args.Length > 0 && args[0] == "rollups")
{
    return await RollupsCommand.RunAsync(args);
}

// A probe worker: the same storage as the Web host, a Hangfire server for this location's queues,
// and the dispatcher. Start more of these to scale out; give a private network's workers their own
// queue (Watchtower:Engine:Queues) to make it a probe location.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Configuration["Watchtower:Engine:RunServer"] = "true";
builder.AddWatchtowerCore();

var app = builder.Build();
await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);
app.MapWatchtowerHealth();
await app.RunAsync();
return 0;
