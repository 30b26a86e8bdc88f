using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Watchtower.Testing.Servers;

/// <summary>
/// A real DNS server (ARSoft.Tools.Net's DnsServer, in-process) on 127.0.0.1, over UDP and TCP (or only one),
/// answering from a test zone — or answering SERVFAIL or REFUSED to everything, or never answering at all.
/// </summary>
public sealed class TestDnsServer : IDisposable
{
    public const string Zone = "watchtower.test";

    private readonly DnsServer? server;
    private readonly UdpClient? blackhole;
    private readonly List<DnsRecordBase> records;

    public enum Behaviour
    {
        Zone,
        ServFail,
        /// <summary>Answers REFUSED, as a resolver does to clients it does not serve.</summary>
        Refused,
        Silent,
    }

    /// <summary>Which transports the server listens on.</summary>
    public enum Transports
    {
        Both,
        /// <summary>TCP only: nothing listens on the UDP port, so a UDP query is refused (ICMP port unreachable).</summary>
        TcpOnly,
        UdpOnly,
    }

    public TestDnsServer(Behaviour behaviour = Behaviour.Zone, bool truncateUdp = false, Transports transports = Transports.Both)
    {
        Port = ServerProcess.FreePort();
        var endpoint = new IPEndPoint(IPAddress.Loopback, Port);
        records = ZoneRecords();
        if (behaviour == Behaviour.Silent)
        {
            blackhole = new UdpClient(endpoint); // bound, never read: queries go unanswered
            return;
        }

        IServerTransport[] listeners = transports switch
        {
            Transports.TcpOnly => [new TcpServerTransport(endpoint, 2000, 2000)],
            Transports.UdpOnly => [new UdpServerTransport(endpoint, 2000)],
            _ => [new UdpServerTransport(endpoint, 2000), new TcpServerTransport(endpoint, 2000, 2000)],
        };
        server = new DnsServer(listeners);
        server.QueryReceived += (_, e) =>
        {
            if (e.Query is DnsMessage query)
            {
                var response = query.CreateResponseInstance();
                if (behaviour is Behaviour.ServFail or Behaviour.Refused)
                {
                    response.ReturnCode = behaviour == Behaviour.ServFail ? ReturnCode.ServerFailure : ReturnCode.Refused;
                }
                else
                {
                    Answer(query, response);
                    if (truncateUdp && e.TransportProtocol == TransportProtocol.Udp && response.AnswerRecords.Count > 0)
                    {
                        response.AnswerRecords.Clear();
                        response.IsTruncated = true;
                    }
                }

                e.Response = response;
            }

            return Task.CompletedTask;
        };
        server.Start();
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Adds a TXT record (any name, inside the test zone or not) that later queries are answered from.</summary>
    public void AddTxt(string name, string text)
    {
        lock (records)
        {
            records.Add(new TxtRecord(DomainName.Parse(name), 60, text));
        }
    }

    private void Answer(DnsMessage query, DnsMessage response)
    {
        var question = query.Questions[0];
        List<DnsRecordBase> matching;
        lock (records)
        {
            matching = records.Where(r => r.Name.Equals(question.Name)).ToList();
        }

        if (matching.Count == 0)
        {
            response.ReturnCode = ReturnCode.NxDomain;
            return;
        }

        response.ReturnCode = ReturnCode.NoError;
        response.IsAuthoritiveAnswer = true;
        foreach (var record in matching.Where(r => r.RecordType == question.RecordType))
        {
            response.AnswerRecords.Add(record);
        }
    }

    private static List<DnsRecordBase> ZoneRecords()
    {
        var zone = DomainName.Parse(Zone);
        var www = DomainName.Parse($"www.{Zone}");
        var mail = DomainName.Parse($"mail.{Zone}");
        return
        [
            new SoaRecord(zone, 3600, DomainName.Parse($"ns1.{Zone}"), DomainName.Parse($"hostmaster.{Zone}"), 2026112401, 7200, 900, 1209600, 300),
            new NsRecord(zone, 3600, DomainName.Parse($"ns1.{Zone}")),
            new NsRecord(zone, 3600, DomainName.Parse($"ns2.{Zone}")),
            new MxRecord(zone, 3600, 10, mail),
            new MxRecord(zone, 3600, 20, DomainName.Parse($"backup-mail.{Zone}")),
            new TxtRecord(zone, 300, "v=spf1 mx -all"),
            new TxtRecord(zone, 300, "google-site-verification=AbC123xYz"),
            new CAARecord(zone, 3600, 0, "issue", "letsencrypt.org"),
            new ARecord(www, 300, IPAddress.Parse("203.0.113.10")),
            new ARecord(www, 300, IPAddress.Parse("203.0.113.11")),
            new AaaaRecord(www, 300, IPAddress.Parse("2001:db8::10")),
            new ARecord(mail, 600, IPAddress.Parse("203.0.113.25")),
            new CNameRecord(DomainName.Parse($"shop.{Zone}"), 300, www),
            new SrvRecord(DomainName.Parse($"_imaps._tcp.{Zone}"), 300, 0, 5, 993, mail),
            new PtrRecord(DomainName.Parse("10.113.0.203.in-addr.arpa"), 300, www),
        ];
    }

    public void Dispose()
    {
        try
        {
            server?.Stop();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OperationCanceledException))
        {
            // Stopping cancels the listeners' pending accepts; that is the stop working.
        }

        blackhole?.Dispose();
    }
}
