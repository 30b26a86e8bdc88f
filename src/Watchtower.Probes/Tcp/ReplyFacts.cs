namespace Watchtower.Probes.Tcp;

/// <summary>What a custom conversation read back: how many bytes, and whether they met the check's expectation (null when it sets none).</summary>
public sealed record ReplyFacts(int Bytes, bool? Matched);
