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

    private sealed class CheckboxBinder : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            ArgumentNullException.ThrowIfNull(bindingContext);
            var name = bindingContext.ModelName;
            var values = bindingContext.ValueProvider.GetValue(name);
            if (values == ValueProviderResult.None)
            {
                return Task.CompletedTask;
            }

            // A ticked box posts "true" and its hidden companion "false": the first value counts.
            var first = values.FirstValue;
            if (string.IsNullOrEmpty(first) && bindingContext.ModelMetadata.IsNullableValueType)
            {
                bindingContext.ModelState.SetModelValue(name, values);
                bindingContext.Result = ModelBindingResult.Success(null);
            }
            else if (bool.TryParse(first, out var value))
            {
                bindingContext.ModelState.SetModelValue(name, values);
                bindingContext.Result = ModelBindingResult.Success(value);
            }
            else
            {
                bindingContext.ModelState.SetModelValue(name, rawValue: false, attemptedValue: "false");
                bindingContext.ModelState.TryAddModelError(name, "Tick the box or leave it empty.");
                bindingContext.Result = ModelBindingResult.Failed();
            }

            return Task.CompletedTask;
        }
    }
}
