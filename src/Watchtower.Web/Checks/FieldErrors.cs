namespace Watchtower.Web.Checks;

/// <summary>
/// Validation messages keyed by field path relative to the check ("Name", "Tcp.Host", "Http.Headers"; "" for the whole check),
/// so a page (which prefixes its model name) and an API (problem details) show the same messages.
/// Validators also normalise what they accept (host names to punycode, URLs to absolute form).
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> byField = new(StringComparer.Ordinal);

    public bool IsEmpty => byField.Count == 0;

    public IReadOnlyDictionary<string, List<string>> ByField => byField;

    public void Add(string field, string message)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!byField.TryGetValue(field, out var messages))
        {
            byField[field] = messages = [];
        }

        messages.Add(message);
    }

    public bool Has(string field) => byField.ContainsKey(field);

    /// <summary>The same errors, with each field under <paramref name="prefix"/> ("Tcp" → "Tcp.Host").</summary>
    public Scoped Under(string prefix) => new(this, prefix);

    /// <summary>Adds messages under a prefix: a kind's validator names its own fields only.</summary>
    public readonly struct Scoped(FieldErrors errors, string prefix)
    {
        public void Add(string field, string message) => errors.Add($"{prefix}.{field}", message);

        public bool Has(string field) => errors.Has($"{prefix}.{field}");
    }
}
