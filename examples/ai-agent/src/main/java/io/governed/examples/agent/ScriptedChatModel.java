package io.governed.examples.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A chat model that plays a script instead of calling a provider, so the agent loop runs offline and
 * the same way every time. Each step sees the conversation so far (what the model was shown) and
 * answers with tool calls or text; every message it was shown is kept, to check what the model saw.
 */
public final class ScriptedChatModel implements ChatModel {
    private final List<Function<List<ChatMessage>, AiMessage>> steps;
    private final List<ChatMessage> seen = Collections.synchronizedList(new ArrayList<>());
    private int next;

    @SafeVarargs
    public ScriptedChatModel(Function<List<ChatMessage>, AiMessage>... steps) {
        this.steps = List.of(steps);
    }

    @Override
    public synchronized ChatResponse doChat(ChatRequest request) {
        seen.addAll(request.messages().subList(Math.min(seen.size(), request.messages().size()), request.messages().size()));
        if (next >= steps.size()) {
            return ChatResponse.builder().aiMessage(AiMessage.from("(the script has ended)")).build();
        }
        return ChatResponse.builder().aiMessage(steps.get(next++).apply(request.messages())).build();
    }

    /** Every message the model was shown, in order. */
    public List<ChatMessage> seen() {
        return List.copyOf(seen);
    }

    /** A step that calls {@code tool} with the SQL {@code sql}. */
    public static Function<List<ChatMessage>, AiMessage> call(String tool, String sql) {
        return messages -> AiMessage.from(ToolExecutionRequest.builder().id(tool + "-" + messages.size()).name(tool)
                .arguments("{\"sql\": \"" + sql.replace("\"", "\\\"") + "\"}").build());
    }

    /** The text of the last tool result the model was shown. */
    public static String lastToolResult(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolExecutionResultMessage result) {
                return result.text();
            }
        }
        return "";
    }
}
