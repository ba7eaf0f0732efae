package io.governed.classification;

import io.governed.classification.detectors.BuiltInDetectors;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the detectors to use: the built-in ones, then those a policy jar lists as services. */
public final class Detectors {
    private static final Logger LOG = LoggerFactory.getLogger(Detectors.class);

    private Detectors() {
    }

    /**
     * The built-in detectors followed by every {@link Detector} service visible to the class loader.
     *
     * @param phoneRegion the region phone numbers without a country code are read in, e.g. {@code US}
     * @param classLoader where to look for detector services
     * @throws java.util.ServiceConfigurationError when a listed detector cannot be loaded
     * @throws IllegalStateException                 when a detector's tag is malformed, naming its class
     */
    public static List<Detector> available(String phoneRegion, ClassLoader classLoader) {
        List<Detector> all = new ArrayList<>(BuiltInDetectors.all(phoneRegion));
        for (Detector d : ServiceLoader.load(Detector.class, classLoader)) {
            try {
                Tags.requireValid(d.tag());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Detector " + d.getClass().getName() + ": " + e.getMessage(), e);
            }
            LOG.debug("Loaded detector {} for tag {}", d.getClass().getName(), d.tag());
            all.add(d);
        }
        return List.copyOf(all);
    }
}
