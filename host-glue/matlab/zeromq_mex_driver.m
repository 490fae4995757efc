function zeromq_mex_driver(action)
%ZEROMQ_MEX_DRIVER Install or remove the idle driver of remote calls (internal).
%   zeromq_mex_driver('install'), zeromq_mex_driver('remove')
%
%   Used by zeromq_handler_start, zeromq_handler_stop and zeromq_stop. The driver runs
%   queued remote calls while the session is idle: in Octave an input event hook that
%   runs while Octave waits at the prompt, in MATLAB a timer firing every 50 ms. Both
%   call zeromq_mex('idle'). Installing twice keeps one driver.
persistent driver;
mlock;
switch action
  case 'install'
    if ~isempty(driver)
      return;
    end
    if exist('OCTAVE_VERSION', 'builtin')
      driver = add_input_event_hook(@() zeromq_mex('idle'));
    else
      driver = timer('Name', 'zeromq_xop_idle', 'ExecutionMode', 'fixedSpacing', ...
                     'Period', 0.05, 'BusyMode', 'drop', 'ObjectVisibility', 'off', ...
                     'TimerFcn', @(~, ~) zeromq_mex('idle'));
      start(driver);
    end
  case 'remove'
    if isempty(driver)
      return;
    end
    if exist('OCTAVE_VERSION', 'builtin')
      remove_input_event_hook(driver);
    else
      stop(driver);
      delete(driver);
    end
    driver = [];
  otherwise
    error('zeromq:INVALID_ARG', 'zeromq_mex_driver: unknown action ''%s''.', action);
end
end
