package com.example.orders;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** JAX-RS under /<context>/api. */
@ApplicationPath("api")
public class RestApplication extends Application {
}
