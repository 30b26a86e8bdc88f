using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// Binds choices from lists (enums) by name only: a forged value, a number or junk becomes "choose
/// from the list" next to the field, instead of the stock "is not valid" or a value no list offers.
/// </summary>
internal sealed class EnumBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Metadata.UnderlyingOrModelType.IsEnum ? new EnumBinder(context.Metadata.UnderlyingOrModelType) : null;
    }

    private sealed class EnumBinder(Type type) : IModelBinder
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

            bindingContext.ModelState.SetModelValue(name, values);
            var text = values.FirstValue?.Trim() ?? "";
            if (text.Length == 0 && bindingContext.ModelMetadata.IsNullableValueType)
            {
                bindingContext.Result = ModelBindingResult.Success(null);
            }
            else if (text.Length > 0 && !char.IsAsciiDigit(text[0]) && text[0] != '-' && Enum.TryParse(type, text, ignoreCase: true, out var value) && Enum.IsDefined(type, value!))
            {
                bindingContext.Result = ModelBindingResult.Success(value);
            }
            else
            {
                bindingContext.ModelState.TryAddModelError(name, "Choose one of the values in the list.");
                bindingContext.Result = ModelBindingResult.Failed();
            }

            return Task.CompletedTask;
        }
    }
}
