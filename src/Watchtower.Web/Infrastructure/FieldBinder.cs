using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// A binder that never lets junk through or throws on it: a field that was not posted keeps its
/// default, one that was is bound or refused with a message next to it.
/// </summary>
internal abstract class FieldBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var values = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (values != ValueProviderResult.None)
        {
            Bind(bindingContext, values);
        }

        return Task.CompletedTask;
    }

    protected abstract void Bind(ModelBindingContext context, ValueProviderResult values);

    protected static void Accept(ModelBindingContext context, ValueProviderResult values, object? model)
    {
        context.ModelState.SetModelValue(context.ModelName, values);
        context.Result = ModelBindingResult.Success(model);
    }

    protected static void Refuse(ModelBindingContext context, string message)
    {
        context.ModelState.TryAddModelError(context.ModelName, message);
        context.Result = ModelBindingResult.Failed();
    }
}
