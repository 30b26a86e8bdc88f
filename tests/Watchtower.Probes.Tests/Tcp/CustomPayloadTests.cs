using System.Text;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;

namespace Watchtower.Probes.Tests.Tcp;

/// <summary>Custom send/expect with text beyond ASCII: UTF-8 out, UTF-8 in, escapes still exact bytes.</summary>
public sealed class CustomPayloadTests
{
    private readonly ProbeRunner runner = TestProbes.Runner();

    [Fact]
    public void Text_payloads_are_utf8_including_characters_outside_the_bmp()
    {
        Assert.True(Payload.TryParse("😀 é\\r\\n", PayloadFormat.Text, out var bytes, out var error), error);

        Assert.Equal([0xF0, 0x9F, 0x98, 0x80, 0x20, 0xC3, 0xA9, 0x0D, 0x0A], bytes);
    }

    [Fact]
    public void Escapes_still_give_exact_bytes_next_to_utf8_text()
    {
        Assert.True(Payload.TryParse("ü\\xFF\\x00\\\\\\tA\\0", PayloadFormat.Text, out var bytes, out var error), error);

        Assert.Equal([0xC3, 0xBC, 0xFF, 0x00, (byte)'\\', 0x09, (byte)'A', 0x00], bytes);
    }

    [Fact]
    public void A_lone_surrogate_is_refused_rather_than_sent_as_a_replacement_character()
    {
        Assert.False(Payload.TryParse("ab\uD83D", PayloadFormat.Text, out _, out var error));

        Assert.Contains("not valid Unicode", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8_text_sent_to_an_echo_service_comes_back_and_matches()
    {
        await using var listener = new ScriptedListener(ListenerScript.Echo);

        var contains = await runner.RunAsync(Custom(listener.Port, send: "Grüße 😀 aus Köln\\n", expect: "Grüße 😀 aus Köln"));
        var regex = await runner.RunAsync(Custom(listener.Port, send: "Grüße 😀\\n", expect: "^Grüße 😀$", ExpectMode.Regex));

        Assert.True(contains.Success, contains.Message);
        Assert.StartsWith("The reply contains “Gr", contains.Message, StringComparison.Ordinal);
        Assert.EndsWith("(23 bytes).", contains.Message, StringComparison.Ordinal);
        Assert.True(regex.Success, regex.Message);
    }

    [Fact]
    public async Task A_utf8_reply_matches_a_non_ascii_expectation()
    {
        await using var listener = new ScriptedListener(ListenerScript.Say, Encoding.UTF8.GetBytes("220 Привет, мир — ready\r\n"));

        var match = await runner.RunAsync(Custom(listener.Port, send: null, expect: "Привет, мир"));
        var mismatch = await runner.RunAsync(Custom(listener.Port, send: null, expect: "Пока"));

        Assert.True(match.Success, match.Message);
        Assert.Equal(FailureReason.UnexpectedResponse, mismatch.Reason);
    }

    [Fact]
    public async Task A_reply_that_is_not_utf8_still_matches_ascii_and_latin1_expectations()
    {
        // "READY café" in Latin-1, after a byte that can never start UTF-8.
        byte[] reply = [0xFF, .. Encoding.ASCII.GetBytes("READY caf"), 0xE9, (byte)'\r', (byte)'\n'];
        await using var listener = new ScriptedListener(ListenerScript.Say, reply);

        var ascii = await runner.RunAsync(Custom(listener.Port, send: null, expect: "READY"));
        var latin1 = await runner.RunAsync(Custom(listener.Port, send: null, expect: "café"));

        Assert.True(ascii.Success, ascii.Message);
        Assert.True(latin1.Success, latin1.Message);
    }

    private static ProbeRequest Custom(int port, string? send, string expect, ExpectMode mode = ExpectMode.Contains) =>
        TestProbes.Custom(port, send, expect, mode, readTimeoutSeconds: 1);
}
