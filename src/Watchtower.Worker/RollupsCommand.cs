using System.Globalization;
using Watchtower.Data;
using Watchtower.Monitoring.History;
using Watchtower.Monitoring.Hosting;

namespace Watchtower.Worker;

/// <summary>The <c>rollups</c> command: <c>rollups rebuild [--days N] [--check ID]</c>, against the configured database.</summary>
internal static class RollupsCommand
{
    private const string Usage = "Usage: Watchtower.Worker rollups rebuild [--days N] [--check ID] [--ConnectionStrings:Watchtower=…]\n" +
        "  Recomputes hourly and daily rollups from the raw results still held: the last N UTC days (default: every day held), of one check or all.";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1] != "rebuild")
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        int? days = null, check = null;
        var rest = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--days" or "--check":
                    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                    {
                        await Console.Error.WriteLineAsync($"{args[i]} needs a whole number of at least 1.\n{Usage}");
                        return 2;
                    }

                    if (args[i] == "--days")
                    {
                        days = n;
                    }
                    else
                    {
                        check = n;
                    }

                    i++;
                    break;
                default:
                    rest.Add(args[i]); // configuration (--ConnectionStrings:Watchtower=…)
                    break;
            }
        }

        var builder = WebApplication.CreateSlimBuilder([.. rest]);
        builder.Configuration["Watchtower:Engine:RunServer"] = "false";
        builder.Configuration["Watchtower:Engine:RunDispatcher"] = "false";
        builder.AddWatchtowerCore();
        await using var app = builder.Build();
        await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<RollupRebuild>().RebuildAsync(days, check, CancellationToken.None);
        Console.WriteLine($"Rebuilt rollups of {report.Checks} checks from {report.Results} results: {report.HourlyRows} hourly and {report.DailyRows} daily rows.");
        return 0;
    }
}
