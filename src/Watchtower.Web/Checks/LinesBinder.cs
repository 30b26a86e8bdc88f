using Microsoft.AspNetCore.Mvc.ModelBinding;
using Watchtower.Probes.Http;

namespace Watchtower.Web.Checks;

/// <summary>
/// Lists that forms post as one textarea, a line per item: a list of strings (DNS values) and HTTP
/// headers ("Name: value"). The settings records keep them as lists, as an API sends them.
/// </summary>
public sealed class LinesBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Metadata.ModelType;
        return type == typeof(List<string>) ? new LinesBinder(headers: false)
            : type == typeof(List<HttpHeader>) ? new LinesBinder(headers: true)
            : null;
    }
}

internal sealed class LinesBinder(bool headers) : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var posted = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (posted == ValueProviderResult.None)
        {
            return Task.CompletedTask; // not posted: the model keeps its default
        }

        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
        var lines = string.Join('\n', posted.Values.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!headers)
        {
            bindingContext.Result = ModelBindingResult.Success(lines.ToList());
            return Task.CompletedTask;
        }

        var parsed = new List<HttpHeader>(lines.Length);
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                var shown = line.Length <= 60 ? line : line[..60] + "…";
                bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, $"“{shown}” is not a header; write “Name: value”.");
                bindingContext.Result = ModelBindingResult.Failed();
                return Task.CompletedTask;
            }

            parsed.Add(new HttpHeader(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        bindingContext.Result = ModelBindingResult.Success(parsed);
        return Task.CompletedTask;
    }
}
