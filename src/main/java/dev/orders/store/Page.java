package dev.orders.store;

import java.util.List;

/**
 * One page of a list, newest first.
 *
 * @param next the cursor that gives the following (older) page, or null on the last page
 */
public record Page<T>(List<T> items, Long next) {
}
