using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Watchtower.Data.Entities;
using System.Text.RegularExpressions;
using Watchtower.Probes;
using Watchtower.Probes.Tcp;

namespace Watchtower.Web.Pages.Checks;

/// <summary>The fields of a TCP check, shared by Create and Edit.</summary>
public sealed class CheckInput
{
    public static readonly int[] IntervalChoices = [20, 30, 60, 120, 300, 600, 900, 1800, 3600];

    [Required(ErrorMessage = "Enter a name, e.g. “Mail server (SMTP)”.")]
    [StringLength(Check.NameMaxLength, ErrorMessage = "Use at most {1} characters.")]
    [Display(Name = "Name")]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "Enter the host name or IP address to connect to.")]
    [StringLength(300, ErrorMessage = "A host name has at most 253 characters.")]
    [Display(Name = "Host")]
    public string Host { get; set; } = "";

    [Required(ErrorMessage = "Enter a port from 1 to 65535.")]
    [Range(1, 65535, ErrorMessage = "Enter a port from 1 to 65535.")]
    [Display(Name = "Port")]
    public int? Port { get; set; }

    [Range(1, 86400, ErrorMessage = "Choose how often to check.")]
    [Display(Name = "Check every")]
    public int IntervalSeconds { get; set; } = 60;

    [Range(1, 60, ErrorMessage = "Enter a timeout from 1 to 60 seconds.")]
    [Display(Name = "Timeout (seconds)")]
    public int TimeoutSeconds { get; set; } = 10;

    [Display(Name = "Show host and port on public status pages")]
    public bool ShowTargetOnStatusPage { get; set; }

    [Display(Name = "Service")]
    public TcpService Service { get; set; } = TcpService.PortOpen;

    [Display(Name = "Upgrade with STARTTLS")]
    public bool StartTls { get; set; }

    [StringLength(Check.SendMaxLength, ErrorMessage = "Send at most {1} characters.")]
    [Display(Name = "Send (optional)")]
    public string? Send { get; set; }

    [Display(Name = "Send as")]
    public PayloadFormat SendFormat { get; set; }

    [StringLength(Check.ExpectMaxLength, ErrorMessage = "Use at most {1} characters.")]
    [Display(Name = "Expect in the reply (optional)")]
    public string? Expect { get; set; }

    [Display(Name = "Match")]
    public ExpectMode ExpectMode { get; set; }

    [Range(1, 60, ErrorMessage = "Enter a read timeout from 1 to 60 seconds.")]
    [Display(Name = "Read timeout (seconds)")]
    public int ReadTimeoutSeconds { get; set; } = 5;

    [Range(1, 10, ErrorMessage = "Enter 1 to 10 failed runs.")]
    [Display(Name = "Down after this many failed runs in a row")]
    public int FailureThreshold { get; set; } = 2;

    [Range(1, 10, ErrorMessage = "Enter 1 to 10 successful runs.")]
    [Display(Name = "Up again after this many successful runs")]
    public int RecoveryThreshold { get; set; } = 1;

    [Range(1, 3600, ErrorMessage = "Enter 1 to 3600 seconds, or leave it empty.")]
    [Display(Name = "After a failure, check again after (seconds)")]
    public int? RetryIntervalSeconds { get; set; } = 20;

    [Range(1, 60000, ErrorMessage = "Enter 1 to 60000 ms, or leave it empty.")]
    [Display(Name = "Degraded when slower than (ms)")]
    public int? LatencyThresholdMs { get; set; }

    [Range(0, 365, ErrorMessage = "Enter 0 to 365 days.")]
    [Display(Name = "Degraded when the certificate expires within (days)")]
    public int CertificateWarningDays { get; set; } = 14;

    /// <summary>Field rules beyond the attributes; normalizes Name and Host. Adds messages under "Input.*".</summary>
    /// <param name="modelState">Where field messages go.</param>
    /// <param name="minimumIntervalSeconds">The operator's shortest interval.</param>
    /// <param name="whyBlocked">The egress guard's judgement of an IP literal, checked again at every connect.</param>
    public void Validate(ModelStateDictionary modelState, int minimumIntervalSeconds, Func<System.Net.IPAddress, string?> whyBlocked)
    {
        ArgumentNullException.ThrowIfNull(whyBlocked);
        ArgumentNullException.ThrowIfNull(modelState);
        Name = Name?.Trim() ?? "";
        if (modelState.GetFieldValidationState("Input.Host") != ModelValidationState.Invalid)
        {
            if (HostInput.TryNormalize(Host, out var host, out var error))
            {
                Host = host;
                if (System.Net.IPAddress.TryParse(host, out var literal) && whyBlocked(literal) is { } blocked)
                {
                    modelState.AddModelError("Input.Host", blocked);
                }
            }
            else
            {
                modelState.AddModelError("Input.Host", error);
            }
        }

        ValidateService(modelState);
        if (RetryIntervalSeconds is { } retry && retry < minimumIntervalSeconds)
        {
            modelState.AddModelError("Input.RetryIntervalSeconds", $"Check again after at least {minimumIntervalSeconds} seconds.");
        }

        // A read timeout longer than the check's timeout is simply cut to it when the check runs.
        if (modelState.GetFieldValidationState("Input.IntervalSeconds") != ModelValidationState.Invalid
            && IntervalSeconds < minimumIntervalSeconds)
        {
            modelState.AddModelError("Input.IntervalSeconds", $"Check at most every {minimumIntervalSeconds} seconds.");
        }

        if (modelState.GetFieldValidationState("Input.TimeoutSeconds") != ModelValidationState.Invalid
            && modelState.GetFieldValidationState("Input.IntervalSeconds") != ModelValidationState.Invalid
            && TimeoutSeconds >= IntervalSeconds)
        {
            modelState.AddModelError("Input.TimeoutSeconds", "The timeout must be shorter than the interval.");
        }
    }

    private void ValidateService(ModelStateDictionary modelState)
    {
        if (!Enum.IsDefined(Service))
        {
            modelState.AddModelError("Input.Service", "Choose a service from the list.");
            return;
        }

        if (StartTls && !TcpServices.Of(Service).CanStartTls)
        {
            StartTls = false; // the checkbox only applies to SMTP, IMAP and POP3; ignore it elsewhere
        }

        if (Service != TcpService.Custom)
        {
            Send = null;
            Expect = null;
            return;
        }

        if (!Enum.IsDefined(SendFormat) || !Enum.IsDefined(ExpectMode))
        {
            modelState.AddModelError("Input.Send", "Choose how to send and how to match.");
            return;
        }

        if (!Payload.TryParse(Send, SendFormat, out _, out var payloadError))
        {
            modelState.AddModelError("Input.Send", payloadError);
        }

        if (ExpectMode == ExpectMode.Regex && !string.IsNullOrEmpty(Expect))
        {
            try
            {
                _ = new Regex(Expect, RegexOptions.None, TimeSpan.FromMilliseconds(250));
            }
            catch (ArgumentException ex)
            {
                modelState.AddModelError("Input.Expect", $"That is not a valid regular expression: {ex.Message}");
            }
        }
    }

    public void ApplyTo(Check check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Name = Name;
        check.Kind = ProbeKind.Tcp;
        check.Host = Host;
        check.Port = Port ?? 0;
        check.IntervalSeconds = IntervalSeconds;
        check.TimeoutSeconds = TimeoutSeconds;
        check.ShowTargetOnStatusPage = ShowTargetOnStatusPage;
        check.Service = Service;
        check.StartTls = StartTls;
        check.Send = string.IsNullOrEmpty(Send) ? null : Send;
        check.SendFormat = SendFormat;
        check.Expect = string.IsNullOrEmpty(Expect) ? null : Expect;
        check.ExpectMode = ExpectMode;
        check.ReadTimeoutSeconds = ReadTimeoutSeconds;
        check.FailureThreshold = FailureThreshold;
        check.RecoveryThreshold = RecoveryThreshold;
        check.RetryIntervalSeconds = RetryIntervalSeconds;
        check.LatencyThresholdMs = LatencyThresholdMs;
        check.CertificateWarningDays = CertificateWarningDays;
    }

    public static CheckInput From(Check check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new CheckInput
        {
            Name = check.Name,
            Host = check.Host,
            Port = check.Port,
            IntervalSeconds = check.IntervalSeconds,
            TimeoutSeconds = check.TimeoutSeconds,
            ShowTargetOnStatusPage = check.ShowTargetOnStatusPage,
            Service = check.Service,
            StartTls = check.StartTls,
            Send = check.Send,
            SendFormat = check.SendFormat,
            Expect = check.Expect,
            ExpectMode = check.ExpectMode,
            ReadTimeoutSeconds = check.ReadTimeoutSeconds,
            FailureThreshold = check.FailureThreshold,
            RecoveryThreshold = check.RecoveryThreshold,
            RetryIntervalSeconds = check.RetryIntervalSeconds,
            LatencyThresholdMs = check.LatencyThresholdMs,
            CertificateWarningDays = check.CertificateWarningDays,
        };
    }

    public static string IntervalText(int seconds) => seconds switch
    {
        1 => "1 second",
        < 60 => $"{seconds} seconds",
        60 => "1 minute",
        < 3600 => $"{seconds / 60} minutes",
        3600 => "1 hour",
        _ => $"{seconds / 3600} hours",
    };
}
