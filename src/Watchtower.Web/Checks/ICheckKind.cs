using Watchtower.Probes;

namespace Watchtower.Web.Checks;

/// <summary>What carries over when the owner switches the kind of a check being created: the host, port or URL typed so far.</summary>
public readonly record struct KindSeed(string? Host, int? Port, string? Url);

/// <summary>
/// One kind of check as the web app sees it: its words, its form section and fact display
/// (partials in the kind's folder), and its validator. The settings record itself lives with the
/// probe (Watchtower.Probes/&lt;Kind&gt;), so form, storage, engine and API share one shape.
/// </summary>
public interface ICheckKind
{
    ProbeKind Kind { get; }

    /// <summary>"TCP", "HTTP(S)", "SSL certificate".</summary>
    string Label { get; }

    /// <summary>One sentence on what a run does.</summary>
    string Hint { get; }

    /// <summary>The name field's example for this kind.</summary>
    string NamePlaceholder { get; }

    /// <summary>What "show the target" shows: "host and port", "URL", "name".</summary>
    string TargetNoun { get; }

    /// <summary>The form section, rendered with the kind's settings as its model and "…Kind" as field prefix.</summary>
    string FieldsPartial { get; }

    /// <summary>The kind's own facts of a run (HTTP status and redirects, DNS answers…), model <see cref="ProbeResult"/>.</summary>
    string FactsPartial { get; }

    /// <summary>A new check's settings.</summary>
    IKindSettings Defaults { get; }

    IKindSettings From(CheckForm form);

    void Put(CheckForm form, IKindSettings settings);

    /// <summary>Checks and normalises the settings; messages go under the kind's own field names ("Host", "Headers").</summary>
    IKindSettings Validate(IKindSettings settings, CheckValidation context, FieldErrors.Scoped errors);

    /// <summary>A few words for the check's page: "SMTP with STARTTLS", "GET, expects 200-399".</summary>
    string Describe(IKindSettings settings);

    KindSeed Seed(IKindSettings settings);

    /// <summary>This kind's defaults, with what the owner typed for another kind carried over.</summary>
    IKindSettings Seeded(KindSeed seed);
}

/// <summary>The typed half of a kind: casts once, so each kind works with its own record.</summary>
public abstract class CheckKind<T> : ICheckKind where T : class, IKindSettings, new()
{
    public abstract ProbeKind Kind { get; }
    public abstract string Label { get; }
    public abstract string Hint { get; }
    public abstract string NamePlaceholder { get; }
    public abstract string TargetNoun { get; }
    public string FieldsPartial => $"~/Checks/{Kind}/_Fields.cshtml";
    public string FactsPartial => $"~/Checks/{Kind}/_Facts.cshtml";
    public virtual IKindSettings Defaults => new T();

    public IKindSettings From(CheckForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Get(form);
    }

    public void Put(CheckForm form, IKindSettings settings)
    {
        ArgumentNullException.ThrowIfNull(form);
        Set(form, As(settings));
    }

    public IKindSettings Validate(IKindSettings settings, CheckValidation context, FieldErrors.Scoped errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Validate(As(settings), context, errors);
    }

    public string Describe(IKindSettings settings) => Describe(As(settings));

    public KindSeed Seed(IKindSettings settings) => Seed(As(settings));

    public abstract IKindSettings Seeded(KindSeed seed);

    protected abstract T Get(CheckForm form);

    protected abstract void Set(CheckForm form, T settings);

    protected abstract T Validate(T settings, CheckValidation context, FieldErrors.Scoped errors);

    protected abstract string Describe(T settings);

    protected abstract KindSeed Seed(T settings);

    private T As(IKindSettings settings) =>
        settings as T ?? throw new ArgumentException($"{Kind} checks take {typeof(T).Name}, not {settings?.GetType().Name ?? "null"}.", nameof(settings));
}
