package io.governed.jdbc.identity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result read in a scope is masked for the scope's identity even when that scope is the first the process ever
 * opened, while the result was already being read: getters do not look for scopes until one is opened, and opening
 * the first must make them look.
 */
class FirstScopeTest {

    @ParameterizedTest(name = "opened by {0}")
    @ValueSource(strings = {"runAs", "open", "set"})
    void theFirstScopeOfTheProcessIsSeenByAResultAlreadyBeingRead(String how) throws Exception {
        try (URLClassLoader fresh = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader())) {
            Class<?> probe = Class.forName(FirstScopeProbe.class.getName(), true, fresh);
            assertThat(probe.getClassLoader()).isSameAs(fresh);
            @SuppressWarnings("unchecked")
            List<String> seen = (List<String>) probe.getMethod("read", String.class).invoke(null, how);
            assertThat(seen).containsExactly("scope opened before: false", "219-45-6789", "*******6789", "219-45-6789");
        }
    }

    /** This test's class path, read afresh (surefire's manifest-only jar names the rest in its Class-Path). */
    private static URL[] classPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
