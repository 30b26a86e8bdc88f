using Serilog;
using Watchtower.Data;
using Watchtower.Monitoring.Hosting;
using Watchtower.Web.Branding;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.PublicApi;

var builder = WebApplication.CreateBuilder(args);

builder.AddWatchtowerCore();
builder.AddWatchtowerAccounts();
builder.AddWatchtowerWeb();

var app = builder.Build();

await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);

app.UseWatchtowerWeb();
app.MapWatchtowerHealth();
app.MapWatchtowerPublicApi();
app.MapRazorPages();
app.MapWatchtowerBranding();

await app.RunAsync();

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
