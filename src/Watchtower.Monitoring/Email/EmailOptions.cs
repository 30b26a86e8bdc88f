namespace Watchtower.Monitoring.Email;

/// <summary>
/// Bound from <c>Watchtower:Email</c>. With no <see cref="Host"/>, messages are written as .eml
/// files into <see cref="PickupDirectory"/> (by default <c>&lt;data directory&gt;/mail</c>) instead of sent.
/// </summary>
public sealed class EmailOptions
{
    public const string SectionName = "Watchtower:Email";

    /// <summary>The SMTP server. Unset: write .eml files instead of sending.</summary>
    public string? Host { get; set; }

    /// <summary>0 picks the usual port of <see cref="Security"/>: 25 (None), 587 (StartTls), 465 (Implicit).</summary>
    public int Port { get; set; }

    public EmailSecurity Security { get; set; } = EmailSecurity.StartTls;

    /// <summary>Log in with these when both are set.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender address. Required when <see cref="Host"/> is set.</summary>
    public string? FromAddress { get; set; }

    public string FromName { get; set; } = "Watchtower";

    /// <summary>Where .eml files go when no host is set; relative paths are under the content root.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>Connect, authenticate and send must each finish within this.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port > 0 ? Port : Security switch
    {
        EmailSecurity.None => 25,
        EmailSecurity.Implicit => 465,
        _ => 587,
    };

    /// <summary>The sender used when no SMTP host is configured and no address is set.</summary>
    public string EffectiveFromAddress => string.IsNullOrWhiteSpace(FromAddress) ? "watchtower@localhost" : FromAddress;
}

/// <summary>How the SMTP connection is protected.</summary>
public enum EmailSecurity
{
    /// <summary>Plain SMTP (a relay on the same machine or network).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS, which the server must offer (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, port 465).</summary>
    Implicit,
}
