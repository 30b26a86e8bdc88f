using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Watchtower.Web.Checks;

public static class ModelStateFieldErrors
{
    /// <summary>
    /// Shows a validator's messages next to their fields ("Tcp.Host" → "Input.Tcp.Host"). A field's
    /// validator message replaces a binding message for the same field ("abc" in a port is told
    /// "Enter a port from 1 to 65535", not "must be a whole number" as well).
    /// </summary>
    public static void AddFieldErrors(this ModelStateDictionary modelState, string prefix, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var (field, messages) in errors.ByField)
        {
            var key = field.Length == 0 ? "" : $"{prefix}.{field}"; // "" is about the whole form
            if (modelState.TryGetValue(key, out var entry))
            {
                entry.Errors.Clear();
            }

            foreach (var message in messages)
            {
                modelState.AddModelError(key, message);
            }
        }
    }

    /// <summary>
    /// False when a field of the check form could not even be read (junk in a checkbox, a header line
    /// without a colon): then nothing is saved or run, and the validator's messages are shown beside
    /// the binding ones so the owner sees every problem at once.
    /// </summary>
    public static bool BoundCleanly(this ModelStateDictionary modelState, CheckService checks, CheckForm input)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(checks);
        if (modelState.IsValid)
        {
            return true;
        }

        modelState.AddFieldErrors("Input", checks.Validate(input));
        return false;
    }
}
