using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Watchtower.Data.Entities;
using Watchtower.Probes;

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
