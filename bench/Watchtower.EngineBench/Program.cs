using System.Globalization;
using System.Runtime.InteropServices;
using Watchtower.EngineBench;

// The engine under load and faults (docs/benchmarks.md, section "Engine").
//   dotnet run -c Release --project bench/Watchtower.EngineBench -- --checks 20000 --minutes 5 --scenario all
//   (or key=value words: checks=2000 duration=2m scenarios=steady,pg-restart …)
// Exit code: 0 every scenario passed, 1 one failed (or was skipped), 2 the harness itself failed.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
var interrupts = 0;
void Interrupt(string why)
{
    if (Interlocked.Increment(ref interrupts) == 1)
    {
        Console.WriteLine($"\n{why}: stopping; every process the harness started is being killed (again to force).");
        cancel.Cancel();
    }
    else
    {
        ChildRegistry.UndoAll();
        Environment.Exit(130);
    }
}

Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Interrupt("Ctrl+C");
};
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    Interrupt("SIGTERM");
});
using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
{
    c.Cancel = true;
    Interrupt("SIGHUP");
});
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildRegistry.UndoAll();

ChildRegistry.Start();
var outcomes = new List<Outcome>();
var exitCode = 0;
PostgresServer? postgres = null;
TargetFarm? farm = null;
try
{
    var token = cancel.Token;
    var paths = AppPaths.Find(settings);
    var outDirectory = settings.OutDirectory ?? Path.Combine(ChildRegistry.StateDirectory, $"run-{DateTime.Now:yyyyMMdd-HHmmss}");
    Directory.CreateDirectory(outDirectory);
    var names = SchemaNames.FromModel(settings);

    var hosts = settings.Hosts ?? Math.Max(3, settings.Checks / 20);
    int HostsFor(int checks) => checks == 0 ? 0 : Math.Clamp((int)Math.Round(hosts * (double)checks / settings.Checks), 1, checks);
    farm = await TargetFarm.StartAsync(HostsFor(settings.AnsweringChecks), HostsFor(settings.RefusingChecks), HostsFor(settings.TimeoutChecks), token);
    postgres = settings.Postgres == "private"
        ? await PostgresServer.StartPrivateAsync(settings, token)
        : await PostgresServer.ExternalAsync(settings.Postgres, settings.PostgresDataDirectory, token);

    Console.WriteLine($"Engine bench: {settings.Checks:N0} TCP port-open checks every {settings.Interval.TotalSeconds:0} s, timeout {settings.Timeout.TotalSeconds:0} s: " +
                      $"{settings.AnsweringChecks:N0} answering ({farm.Answering.Count:N0} hosts), {settings.RefusingChecks:N0} refusing ({farm.Refusing.Count:N0} hosts), " +
                      $"{settings.TimeoutChecks:N0} timing out ({farm.Timeout.Count:N0} hosts); schedule asks {settings.Demand:0.0} results/s");
    Console.WriteLine($"  {postgres.Description}; apps from {paths.Repository} ({settings.Configuration}); results table {names.ResultsTable} ({names.ResultCheckId}, {names.ResultCheckedAt})");
    Console.WriteLine($"  duration {settings.Duration.TotalSeconds:0} s per scenario (warm-up {settings.Warmup.TotalSeconds:0} s); logs in {outDirectory}");
    if (settings.Duration < settings.Warmup + settings.Interval + settings.Timeout + settings.Grace)
    {
        Console.WriteLine($"  note: duration is shorter than warm-up + interval + timeout + grace: steady judges no slot.");
    }

    var context = new BenchContext(settings, postgres, farm, paths, outDirectory, names);
    foreach (var scenario in settings.Scenarios)
    {
        token.ThrowIfCancellationRequested();
        Console.WriteLine($"\n== {scenario}");
        Outcome outcome;
        try
        {
            outcome = await Scenarios.RunAsync(scenario, context, token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome = new Outcome(scenario, "ERROR", ex.Message.ReplaceLineEndings(" | "));
            Console.Error.WriteLine(ex);
        }

        outcomes.Add(outcome);
        Console.WriteLine(outcome.Line);
    }
}
catch (OperationCanceledException)
{
    Console.WriteLine("Stopped before the end.");
    exitCode = 2;
}
catch (Exception ex)
{
    Console.Error.WriteLine(ex);
    exitCode = 2;
}
finally
{
    if (farm is not null)
    {
        await farm.DisposeAsync();
    }

    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }

    ChildRegistry.UndoAll();
}

if (outcomes.Count > 0)
{
    Console.WriteLine("\nSummary");
    foreach (var outcome in outcomes)
    {
        Console.WriteLine(outcome.Line);
    }
}

return exitCode != 0 ? exitCode
    : outcomes.Any(o => o.Verdict == "ERROR") ? 2
    : outcomes.All(o => o.Verdict == "PASS") ? 0 : 1;
