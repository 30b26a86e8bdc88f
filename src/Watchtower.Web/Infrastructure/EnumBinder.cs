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

    private sealed class EnumBinder(Type type) : FieldBinder
    {
        protected override void Bind(ModelBindingContext context, ValueProviderResult values)
        {
            context.ModelState.SetModelValue(context.ModelName, values);
            var text = values.FirstValue?.Trim() ?? "";
            if (text.Length == 0 && context.ModelMetadata.IsNullableValueType)
            {
                Accept(context, values, null);
            }
            else if (text.Length > 0 && !char.IsAsciiDigit(text[0]) && text[0] != '-' && Enum.TryParse(type, text, ignoreCase: true, out var value) && Enum.IsDefined(type, value!))
            {
                Accept(context, values, value);
            }
            else
            {
                Refuse(context, "Choose one of the values in the list.");
            }
        }
    }
}
