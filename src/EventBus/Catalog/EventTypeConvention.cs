using System.Text;

namespace EventBus;

/// <summary>
/// The event type of a payload type without <see cref="EventTypeAttribute"/>: its name without namespace or enclosing
/// types, split into words at each capital that starts a word (and at underscores), in lower case, joined by dots; a
/// last word <c>Event</c> is dropped. <c>OrderPlaced</c> is <c>order.placed</c>, <c>HTTPRequestFailedEvent</c> is
/// <c>http.request.failed</c>, <c>Order2Shipped</c> is <c>order2.shipped</c>.
/// </summary>
internal static class EventTypeConvention
{
    public static string NameOf(Type payloadType)
    {
        if (payloadType.IsGenericType)
        {
            throw new ArgumentException(
                $"Payload type '{payloadType}' is generic, so no event type name follows from it; name it with [EventType(\"...\")] on a non-generic type, or register it in the catalogue by name.",
                nameof(payloadType));
        }

        List<string> words = Words(payloadType.Name);
        if (words.Count > 1 && words[^1] == "event")
        {
            words.RemoveAt(words.Count - 1);
        }

        string type = string.Join('.', words);
        EventTypeName.ThrowIfInvalid(type, nameof(payloadType));
        return type;
    }

    private static List<string> Words(string name)
    {
        List<string> words = [];
        StringBuilder word = new();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsLetterOrDigit(c) && !char.IsAscii(c))
            {
                throw new ArgumentException(
                    $"Payload type '{name}' has the letter '{c}', which event type names can not hold (ASCII letters, digits, '_' and '-' only); name it with [EventType(\"...\")].",
                    nameof(name));
            }

            if (!char.IsAsciiLetterOrDigit(c))
            {
                Flush(words, word);
                continue;
            }

            // A capital starts a word after a lower-case letter or digit (orderPlaced), or ends an acronym when a
            // lower-case letter follows it (HTTPRequest: the R starts "request").
            bool startsWord = char.IsAsciiLetterUpper(c) && word.Length > 0
                && (!char.IsAsciiLetterUpper(name[i - 1]) || (i + 1 < name.Length && char.IsAsciiLetterLower(name[i + 1])));
            if (startsWord)
            {
                Flush(words, word);
            }

            word.Append(char.ToLowerInvariant(c));
        }

        Flush(words, word);
        return words;
    }

    private static void Flush(List<string> words, StringBuilder word)
    {
        if (word.Length > 0)
        {
            words.Add(word.ToString());
            word.Clear();
        }
    }
}
