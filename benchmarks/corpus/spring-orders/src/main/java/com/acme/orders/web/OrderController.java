package com.acme.orders.web;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
public class OrderController {

    @GetMapping
    public List<Map<String, Object>> list() {
        return List.of(Map.of("id", 1, "status", "SHIPPED"));
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable long id) {
        return Map.of("id", id, "status", "PENDING", "trackingKey", "order:" + id);
    }
}
