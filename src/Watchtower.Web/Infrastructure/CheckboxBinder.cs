using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// Binds booleans (checkboxes) so that junk can never break the page that shows the form again:
/// the stock binder keeps a value like "yes please" as the attempted value, and the checkbox tag
/// helper then throws a FormatException (a 500) while rendering it. Here junk becomes a field
/// error and the box renders unticked.
/// </summary>
internal sealed class CheckboxBinderProvider : IModelBinderProvider
{
    private static readonly CheckboxBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Metadata.UnderlyingOrModelType == typeof(bool) ? Binder : null;
    }

    private sealed class CheckboxBinder : FieldBinder
    {
        protected override void Bind(ModelBindingContext context, ValueProviderResult values)
        {
            // A ticked box posts "true" and its hidden companion "false": the first value counts.
            var first = values.FirstValue;
            if (string.IsNullOrEmpty(first) && context.ModelMetadata.IsNullableValueType)
            {
                Accept(context, values, null);
            }
            else if (bool.TryParse(first, out var value))
            {
                Accept(context, values, value);
            }
            else
            {
                // Shown back unticked: the checkbox tag helper cannot render junk.
                context.ModelState.SetModelValue(context.ModelName, rawValue: false, attemptedValue: "false");
                Refuse(context, "Tick the box or leave it empty.");
            }
        }
    }
}
