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
/// </summary>
public sealed class EgressGuard(IOptions<EgressOptions> options, IHostResolver resolver, TimeProvider time)
{
    public EgressGuard(IOptions<EgressOptions> options, IHostResolver resolver)
        : this(options, resolver, TimeProvider.System)
    {
    }

    private bool AllowPrivate => options.Value.AllowPrivateTargets;

    /// <summary>Null when the address may be dialled; otherwise why not, and how to allow it when that is possible.</summary>
    public string? WhyBlocked(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var judged = AddressRules.Embedded(address);
        var rule = AddressRules.Match(judged);
        if (rule is null)
        {
            return null;
        }

        var shown = judged.Equals(address) ? address.ToString() : $"{address} (which carries {judged})";
        return rule.Treatment switch
        {
            RangeTreatment.AlwaysBlocked => $"{shown} is {rule.Category}; probes never dial it.",
            _ when AllowPrivate => null,
            _ => $"{shown} is {rule.Category}; probes may not dial it unless the operator sets " +
                 $"{EgressOptions.SectionName}:AllowPrivateTargets=true (for a worker inside a private network).",
        };
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
    /// Resolves and checks the host, then dials its checked addresses in turn until one answers.
    /// The token bounds the whole attempt; when it fires during a connect, the result is a timeout.
    /// </summary>
    public async Task<GuardedConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var resolution = await ResolveAsync(host, cancellationToken);
        if (!resolution.Allowed)
        {
            return new GuardedConnection { Reason = resolution.Reason, Message = resolution.Message, DnsTime = resolution.DnsTime };
        }

        var started = time.GetTimestamp();
        GuardedConnection? last = null;
        foreach (var address in resolution.Addresses)
        {
            var endpoint = new IPEndPoint(address, port);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var attemptStarted = time.GetTimestamp();
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken);
                return new GuardedConnection
                {
                    Socket = socket,
                    RemoteEndPoint = endpoint,
                    ResolvedAddresses = resolution.Addresses,
                    DnsTime = resolution.DnsTime,
                    ConnectTime = time.GetElapsedTime(attemptStarted),
                };
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                var waited = time.GetElapsedTime(started);
                return new GuardedConnection
                {
                    Reason = FailureReason.Timeout,
                    Message = $"No answer from {endpoint.Address} on port {port} within {Seconds(waited)} (connect timed out).",
                    RemoteEndPoint = endpoint,
                    ResolvedAddresses = resolution.Addresses,
                    DnsTime = resolution.DnsTime,
                };
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = Failed(ex.SocketErrorCode, endpoint, port, resolution);
            }
        }

        Debug.Assert(last is not null, "at least one address was tried");
        return last!;
    }

    private static GuardedConnection Failed(SocketError error, IPEndPoint endpoint, int port, EgressResolution resolution)
    {
        var (reason, message) = error switch
        {
            SocketError.ConnectionRefused => (FailureReason.Refused, $"Connection refused on port {port}."),
            SocketError.TimedOut => (FailureReason.Timeout, $"No answer from {endpoint.Address} on port {port} (connect timed out)."),
            SocketError.HostUnreachable or SocketError.HostDown => (FailureReason.Unreachable, $"{endpoint.Address} is unreachable (no route to host)."),
            SocketError.NetworkUnreachable or SocketError.NetworkDown => (FailureReason.Unreachable, $"The network of {endpoint.Address} is unreachable."),
            SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable => (FailureReason.Unreachable, $"This probe has no route to {endpoint.Address} (address family not available here)."),
            SocketError.ConnectionReset => (FailureReason.Reset, $"Connection to {endpoint.Address} on port {port} was reset."),
            _ => (FailureReason.Error, $"Could not connect to {endpoint.Address} on port {port}: {error}."),
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
