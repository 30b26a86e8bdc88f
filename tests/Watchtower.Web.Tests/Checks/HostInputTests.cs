using Watchtower.Web.Checks;

namespace Watchtower.Web.Tests.Checks;

public sealed class HostInputTests
{
    [Theory]
    [InlineData("mail.example.com", "mail.example.com")]
    [InlineData("  Mail.Example.COM  ", "mail.example.com")]
    [InlineData("mail.example.com.", "mail.example.com")]
    [InlineData("localhost", "localhost")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("cafe", "cafe")]
    [InlineData("dead.beef", "dead.beef")]
    [InlineData("203.0.113.10", "203.0.113.10")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData("[2001:0db8:0000:0000:0000:0000:0000:0001]", "2001:db8::1")]
    [InlineData("::1", "::1")]
    [InlineData("a-b.c-d.example", "a-b.c-d.example")]
    public void Accepts_and_normalizes(string input, string expected)
    {
        Assert.True(HostInput.TryNormalize(input, out var host, out var error), error);
        Assert.Equal(expected, host);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("", "Enter a host")]
    [InlineData("   ", "Enter a host")]
    [InlineData(null, "Enter a host")]
    [InlineData("http://example.com", "without http://")]
    [InlineData("https://example.com/x", "without http://")]
    [InlineData("exa mple.com", "spaces")]
    [InlineData("example.com/path", "without a path")]
    [InlineData("example.com:25", "Port field")]
    [InlineData("[::1]:22", "Port field")]
    [InlineData("[::1", "no closing")]
    [InlineData("fe80::1%eth0", "zone")]
    [InlineData("2001:db8:::1", "not a valid IPv6")]
    [InlineData("017700000001", "IPv4")]
    [InlineData("0x7f.1", "IPv4")]
    [InlineData("127.1", "IPv4")]
    [InlineData("0177.0.0.1", "IPv4")]
    [InlineData("256.1.1.1", "IPv4")]
    [InlineData("1.2.3.4.5", "IPv4")]
    [InlineData("user@example.com", "@")]
    [InlineData("-bad.example.com", "start and end")]
    [InlineData("bad-.example.com", "start and end")]
    [InlineData("under_score.example.com", "not allowed")]
    [InlineData("a..b", "empty part")]
    [InlineData("example.123", "not a valid")]
    [InlineData("<script>.com", "not allowed")]
    public void Rejects_with_a_message_that_says_what_to_do(string? input, string messagePart)
    {
        Assert.False(HostInput.TryNormalize(input, out var host, out var error));
        Assert.Equal("", host);
        Assert.Contains(messagePart, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rejects_overlong_labels_and_names()
    {
        Assert.False(HostInput.TryNormalize(new string('a', 64) + ".example", out _, out var label));
        Assert.Contains("63", label, StringComparison.Ordinal);
        var longName = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));
        Assert.False(HostInput.TryNormalize(longName, out _, out var name));
        Assert.Contains("253", name, StringComparison.Ordinal);
        Assert.False(HostInput.TryNormalize(new string('a', 100_000), out _, out var huge));
        Assert.Contains("too long", huge, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("_imaps._tcp.example.com", "_imaps._tcp.example.com")]
    [InlineData("_DMARC.Example.com.", "_dmarc.example.com")]
    [InlineData("selector1._domainkey.bücher.example", "selector1._domainkey.xn--bcher-kva.example")]
    [InlineData("203.0.113.10", "203.0.113.10")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    public void Record_names_may_hold_underscores(string input, string expected)
    {
        Assert.True(HostInput.TryNormalizeRecordName(input, out var name, out var error), error);
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("_imaps._tcp.example.com")]
    [InlineData("_dmarc.example.com")]
    public void Hosts_that_are_dialled_may_not(string input)
    {
        Assert.False(HostInput.TryNormalize(input, out _, out var error));
        Assert.NotEqual("", error);
    }

    [Theory]
    [InlineData("bad!name.example.com", "underscore")]
    [InlineData("-lead.example.com", "letter or digit")]
    [InlineData("http://example.com", "without http://")]
    [InlineData("example.com:53", "Port field")]
    public void Record_names_still_refuse_junk(string input, string message)
    {
        Assert.False(HostInput.TryNormalizeRecordName(input, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
