using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Watchtower.Probes.Egress;

/// <summary>
/// The one place that decides which addresses a probe may dial, and the one place that dials.
/// A host is resolved once; if any of its addresses is refused the host is refused; only the
/// checked addresses are dialled (never a second lookup), which defeats DNS rebinding.
/// Anything else that calls out on a user's behalf (webhooks) dials through it too: raw sockets
/// with <see cref="ConnectAsync"/>, HTTP with <see cref="CreateHttpHandler"/>.
/// </summary>
public sealed class EgressGuard(IOptions<EgressOptions> options, IHostResolver resolver, TimeProvider time)
{
    public EgressGuard(IOptions<EgressOptions> options, IHostResolver resolver)
        : this(options, resolver, TimeProvider.System)
    {
    }

    private bool AllowPrivate => options.Value.AllowPrivateTargets;

    private readonly IPNetwork[] named = AllowedAddresses.Parse(options.Value.AllowedAddresses);

    private const string AllowedSetting = EgressOptions.SectionName + ":AllowedAddresses";

    /// <summary>Null when the address may be dialled; otherwise why not, and how to allow it when that is possible.</summary>
    public string? WhyBlocked(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        // Every form the address is judged as must pass; of several refusals the strictest is told.
        (IPAddress Judged, AddressRule Rule)? refused = null;
        foreach (var judged in AddressRules.JudgedAs(address))
        {
            var rule = AddressRules.Match(judged);
            if (rule is null)
            {
                continue;
            }

            var passes = rule.Treatment switch
            {
                RangeTreatment.Never => false,
                RangeTreatment.Private when AllowPrivate => true,
                _ => IsNamed(judged),
            };
            if (!passes && (refused is null || rule.Treatment < refused.Value.Rule.Treatment))
            {
                refused = (judged, rule);
            }
        }

        if (refused is not { } why)
        {
            return null;
        }

        var (shownAddress, category) = (why.Judged, why.Rule.Category);
        var shown = shownAddress.Equals(address) ? address.ToString() : $"{address} (which carries {shownAddress})";
        return why.Rule.Treatment switch
        {
            RangeTreatment.Never when why.Rule.Platform is { } platform =>
                $"{shown} is {category} ({platform}); probes never dial it, not even when {AllowedSetting} names it.",
            RangeTreatment.Never => $"{shown} is {category}; probes never dial it.",
            RangeTreatment.AlwaysBlocked =>
                $"{shown} is {category}; probes never dial it unless the operator names it in {AllowedSetting}.",
            _ => $"{shown} is {category}; probes may not dial it unless the operator sets " +
                 $"{EgressOptions.SectionName}:AllowPrivateTargets=true (for a worker inside a private network) or names it in {AllowedSetting}.",
        };
    }

    private bool IsNamed(IPAddress address)
    {
        foreach (var network in named)
        {
            if (AddressRules.Contains(network, address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Resolves once (no lookup for an IP literal) and checks every address.</summary>
    public async Task<EgressResolution> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        IPAddress[] addresses;
        TimeSpan? dnsTime = null;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            var started = time.GetTimestamp();
            try
            {
                addresses = await resolver.ResolveAsync(host, cancellationToken);
            }
            catch (SocketException ex)
            {
                return new EgressResolution
                {
                    Reason = FailureReason.Dns,
                    DnsTime = time.GetElapsedTime(started),
                    Message = ex.SocketErrorCode switch
                    {
                        SocketError.HostNotFound => $"No such host: {host} (the name does not exist in DNS).",
                        SocketError.NoData => $"{host} has no IPv4 or IPv6 address in DNS.",
                        SocketError.TryAgain => $"DNS lookup of {host} failed temporarily (the resolver did not answer).",
                        _ => $"DNS lookup of {host} failed: {ex.Message}",
                    },
                };
            }

            dnsTime = time.GetElapsedTime(started);
        }

        if (addresses.Length == 0)
        {
            return new EgressResolution { Reason = FailureReason.Dns, DnsTime = dnsTime, Message = $"{host} has no IPv4 or IPv6 address in DNS." };
        }

        foreach (var address in addresses)
        {
            if (WhyBlocked(address) is { } why)
            {
                var message = literal is null ? $"{host} resolves to {address}: {why}" : why;
                return new EgressResolution { Reason = FailureReason.Blocked, DnsTime = dnsTime, Message = message };
            }
        }

        return new EgressResolution { Addresses = Interleave(addresses), DnsTime = dnsTime };
    }

    /// <summary>
    /// The least time an address gets when the budget is shared out: below about a second a
    /// single lost SYN (retransmitted after 1 s) would already count as "no answer".
    /// </summary>
    public static readonly TimeSpan MinimumAttempt = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Resolves and checks the host, then dials its checked addresses in turn until one answers.
    /// The token bounds the whole attempt and must end with the budget (the probe's timeout); when
    /// it fires during a connect, the result is a timeout.
    /// Each address gets a share of what is left of <paramref name="budget"/> (counted from this
    /// call, so it includes the lookup): the remaining time divided by the addresses not yet tried,
    /// at least <see cref="MinimumAttempt"/>. An address that times out, refuses or is unreachable
    /// passes the turn to the next; the result is the address that answered, or the last failure
    /// with every address tried.
    /// </summary>
    public async Task<GuardedConnection> ConnectAsync(string host, int port, TimeSpan budget, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var connection = await ConnectCoreAsync(host, port, budget, cancellationToken);
        connection.StartedAt = startedAt;
        return connection;
    }

    private async Task<GuardedConnection> ConnectCoreAsync(string host, int port, TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var resolution = await ResolveAsync(host, cancellationToken);
        if (!resolution.Allowed)
        {
            return new GuardedConnection { Reason = resolution.Reason, Message = resolution.Message, DnsTime = resolution.DnsTime };
        }

        var bounded = budget != Timeout.InfiniteTimeSpan;
        var addresses = resolution.Addresses;
        var failed = new List<ConnectAttempt>(addresses.Count);
        GuardedConnection? last = null;
        for (var i = 0; i < addresses.Count; i++)
        {
            var endpoint = new IPEndPoint(addresses[i], port);
            var share = Timeout.InfiniteTimeSpan;
            if (bounded)
            {
                var remaining = budget - time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero && last is not null)
                {
                    break; // the budget is spent; what failed so far is the answer
                }

                share = TimeSpan.FromTicks(Math.Max(remaining.Ticks / (addresses.Count - i), Math.Min(MinimumAttempt.Ticks, remaining.Ticks)));
                if (share <= TimeSpan.Zero)
                {
                    share = MinimumAttempt; // a slow lookup spent the budget: the first address still gets a real try
                }
            }

            // Only an address with others after it needs a timer of its own, to leave them their
            // share; the last is bounded by the caller's token, which ends with the same budget
            // (ProbeRunner), so the usual single-address connect arms no timer on the engine's hot path.
            using var attemptTimeout = share == Timeout.InfiniteTimeSpan || i == addresses.Count - 1 ? null : new CancellationTokenSource(share, time);
            using var attempt = attemptTimeout is null
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
                : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var attemptStarted = time.GetTimestamp();
            try
            {
                await socket.ConnectAsync(endpoint, attempt.Token);
                return new GuardedConnection
                {
                    Socket = socket,
                    RemoteEndPoint = endpoint,
                    ResolvedAddresses = addresses,
                    DnsTime = resolution.DnsTime,
                    ConnectTime = time.GetElapsedTime(attemptStarted),
                    FailedAttempts = failed,
                };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller's whole budget ran out during this connect: no time for further addresses.
                socket.Dispose();
                var waited = time.GetElapsedTime(started);
                failed.Add(new ConnectAttempt(endpoint, FailureReason.Timeout, $"no answer within {Seconds(time.GetElapsedTime(attemptStarted))}"));
                return WithTried(new GuardedConnection
                {
                    Reason = FailureReason.Timeout,
                    Message = $"No answer from {endpoint.Address} on port {port} within {Seconds(waited)} (connect timed out).",
                    RemoteEndPoint = endpoint,
                    ResolvedAddresses = addresses,
                    DnsTime = resolution.DnsTime,
                }, failed);
            }
            catch (OperationCanceledException)
            {
                // This address used its share: let the next one have the rest.
                socket.Dispose();
                failed.Add(new ConnectAttempt(endpoint, FailureReason.Timeout, $"no answer within {Seconds(share)}"));
                last = new GuardedConnection
                {
                    Reason = FailureReason.Timeout,
                    Message = $"No answer from {endpoint.Address} on port {port} within {Seconds(share)} (connect timed out).",
                    RemoteEndPoint = endpoint,
                    ResolvedAddresses = addresses,
                    DnsTime = resolution.DnsTime,
                };
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failed.Add(new ConnectAttempt(endpoint, Reason(ex.SocketErrorCode), Outcome(ex.SocketErrorCode)));
                last = Failed(ex.SocketErrorCode, endpoint, port, resolution);
            }
        }

        Debug.Assert(last is not null, "at least one address was tried");
        return WithTried(last!, failed, addresses.Skip(failed.Count).ToList());
    }

    /// <summary>
    /// A connection for <see cref="SocketsHttpHandler.ConnectCallback"/>: the handler's every
    /// connection (the first request's, each redirect hop's, each reconnection) is resolved, checked
    /// and dialled by <see cref="ConnectAsync"/>. <paramref name="observe"/> sees the attempt
    /// (timings, the address dialled) whether or not it connected. When the host is refused or no
    /// address answers it throws <see cref="EgressRefusedException"/>, which HttpClient hands back as
    /// the inner exception of its HttpRequestException.
    /// </summary>
    public async ValueTask<NetworkStream> ConnectHttpAsync(SocketsHttpConnectionContext context, TimeSpan connectBudget,
        Action<GuardedConnection>? observe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = await ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, connectBudget, cancellationToken);
        observe?.Invoke(connection);
        if (!connection.Connected)
        {
            connection.Dispose();
            throw new EgressRefusedException(connection.Reason, connection.Message);
        }

        return new NetworkStream(connection.DetachSocket(), ownsSocket: true);
    }

    /// <summary>
    /// An HTTP handler for anything that calls a user-given URL (webhooks, later): every connection
    /// passes this guard (<see cref="ConnectHttpAsync"/>). No proxy (a proxy would dial on our
    /// behalf, past the guard), no cookies, and no automatic redirects: follow them by hand and
    /// decide per hop, as the HTTP probe does (each hop's connection passes the guard either way).
    /// Keep requests at HTTP/1.1 or HTTP/2, the default: HTTP/3 runs over QUIC, which does not use
    /// the connect callback.
    /// </summary>
    /// <param name="connectBudget">How long connecting may take, shared among the host's addresses.</param>
    public SocketsHttpHandler CreateHttpHandler(TimeSpan connectBudget) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, token) => await ConnectHttpAsync(context, connectBudget, observe: null, token),
    };

    /// <summary>With more than one address, the message lists every one tried (and any the budget left untried), so none is silently skipped.</summary>
    private static GuardedConnection WithTried(GuardedConnection failure, List<ConnectAttempt> failed, IReadOnlyList<IPAddress>? untried = null)
    {
        if (failed.Count < 2 && untried is not { Count: > 0 })
        {
            return failure;
        }

        var notTried = untried is { Count: > 0 } ? $" Not tried (the connect budget was spent): {string.Join(", ", untried)}." : "";
        return new GuardedConnection
        {
            Reason = failure.Reason,
            Message = $"{failure.Message} Tried {string.Join(", ", failed.Select(a => $"{a.EndPoint.Address} ({a.Outcome})"))}.{notTried}",
            RemoteEndPoint = failure.RemoteEndPoint,
            ResolvedAddresses = failure.ResolvedAddresses,
            DnsTime = failure.DnsTime,
            FailedAttempts = failed,
        };
    }

    private static FailureReason Reason(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => FailureReason.Refused,
        SocketError.TimedOut => FailureReason.Timeout,
        SocketError.HostUnreachable or SocketError.HostDown or SocketError.NetworkUnreachable or SocketError.NetworkDown
            or SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable => FailureReason.Unreachable,
        SocketError.ConnectionReset => FailureReason.Reset,
        _ => FailureReason.Error,
    };

    private static string Outcome(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "refused",
        SocketError.TimedOut => "connect timed out",
        SocketError.HostUnreachable or SocketError.HostDown => "no route to host",
        SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
        SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable => "address family not available here",
        SocketError.ConnectionReset => "reset",
        _ => error.ToString(),
    };

    private static GuardedConnection Failed(SocketError error, IPEndPoint endpoint, int port, EgressResolution resolution)
    {
        var reason = Reason(error);
        var message = error switch
        {
            SocketError.ConnectionRefused => $"Connection refused on port {port}.",
            SocketError.TimedOut => $"No answer from {endpoint.Address} on port {port} (connect timed out).",
            SocketError.HostUnreachable or SocketError.HostDown => $"{endpoint.Address} is unreachable (no route to host).",
            SocketError.NetworkUnreachable or SocketError.NetworkDown => $"The network of {endpoint.Address} is unreachable.",
            SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable => $"This probe has no route to {endpoint.Address} (address family not available here).",
            SocketError.ConnectionReset => $"Connection to {endpoint.Address} on port {port} was reset.",
            _ => $"Could not connect to {endpoint.Address} on port {port}: {error}.",
        };
        return new GuardedConnection
        {
            Reason = reason,
            Message = message,
            RemoteEndPoint = endpoint,
            ResolvedAddresses = resolution.Addresses,
            DnsTime = resolution.DnsTime,
        };
    }

    /// <summary>Alternate address families (IPv6 first when the resolver put it first), so one dead family does not hide the other.</summary>
    private static IPAddress[] Interleave(IPAddress[] addresses)
    {
        var first = addresses[0].AddressFamily;
        var primary = addresses.Where(a => a.AddressFamily == first).ToList();
        var secondary = addresses.Where(a => a.AddressFamily != first).ToList();
        var result = new List<IPAddress>(addresses.Length);
        for (var i = 0; i < Math.Max(primary.Count, secondary.Count); i++)
        {
            if (i < primary.Count)
            {
                result.Add(primary[i]);
            }

            if (i < secondary.Count)
            {
                result.Add(secondary[i]);
            }
        }

        return [.. result];
    }

    internal static string Seconds(TimeSpan span) =>
        span.TotalSeconds < 10
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");
}
