<?php

// Stubs for rustenc

// rustenc exports no PHP functions: it is a session save handler configured with INI settings (php --ri rustenc).
